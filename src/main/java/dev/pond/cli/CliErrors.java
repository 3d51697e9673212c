package dev.pond.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * How the command line reports mistakes: a bad value or option is one line that names it plus a
 * pointer to --help; a failure while running is one line with the cause, not a stack trace (the
 * log file has the trace).
 */
public final class CliErrors {

    private CliErrors() {}

    /** Installs Pond's converters and error handlers on {@code cmd} and returns it. */
    public static CommandLine install(CommandLine cmd) {
        cmd.registerConverter(Duration.class, Converters::duration);
        cmd.registerConverter(Instant.class, Converters::instant);
        cmd.setParameterExceptionHandler(CliErrors::badParameter);
        cmd.setExecutionExceptionHandler(CliErrors::failed);
        return cmd;
    }

    private static int badParameter(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandName() + ": " + e.getMessage());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        org.slf4j.LoggerFactory.getLogger("pond.errors").error("{} failed", cmd.getCommandName(), e);
        cmd.getErr().println(cmd.getCommandName() + ": " + reason(e)
                + (isOurs(e) ? "" : " (details in the log)"));
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    /**
     * The first line of the deepest message in the chain: Flink wraps a job's failure in layers
     * ("Job execution failed", "Recovery is suppressed by ...") that say nothing about the cause.
     */
    static String reason(Throwable e) {
        if (isOurs(e) && e.getMessage() != null) {
            return firstLine(e.getMessage());
        }
        String message = null;
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            deepest = t;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message == null ? deepest.getClass().getSimpleName() : firstLine(message);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Pond's own refusals (bad files, bad models) explain themselves; anything else points to the log. */
    private static boolean isOurs(Throwable e) {
        return e instanceof IllegalArgumentException;
    }
}
