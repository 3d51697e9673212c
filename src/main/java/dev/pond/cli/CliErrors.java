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
        Throwable cause = e;
        while (cause.getCause() != null && (cause.getMessage() == null || isWrapper(cause))) {
            cause = cause.getCause();
        }
        org.slf4j.LoggerFactory.getLogger("pond.errors").error("{} failed", cmd.getCommandName(), e);
        cmd.getErr().println(cmd.getCommandName() + ": " + (cause.getMessage() != null
                ? cause.getMessage()
                : cause.getClass().getSimpleName()));
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    /** Exceptions that only wrap the interesting one (Flink's job failures, executors). */
    private static boolean isWrapper(Throwable t) {
        String name = t.getClass().getName();
        return name.endsWith("JobExecutionException") || name.endsWith("ExecutionException")
                || name.endsWith("CompletionException") || t.getMessage().startsWith("Job execution failed");
    }
}
