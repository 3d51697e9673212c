package dev.pond.cli;

import dev.pond.Pond;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command line's manners: a bad value is one line that names it (plus a pointer to --help),
 * never a stack trace; a failure while running is one line with the cause.
 */
class PondCliTest {

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Pond.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(out, true));
        return cmd.execute(args);
    }

    @Test
    void aBadInstantIsOneLineNamingTheValue() {
        int code = run("replay", "--until", "next tuesday", "--out", "x");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "replay: Invalid value for option '--until': 'next tuesday' is not an instant "
                        + "(ISO-8601, e.g. 2026-03-10T07:00:00Z, or a date, 2026-03-10)",
                "Try 'pond replay --help' for the options.");
    }

    @Test
    void aBadDurationIsOneLineNamingTheValue() {
        int code = run("demo", "--duration", "forever");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElseThrow())
                .isEqualTo("demo: Invalid value for option '--duration': 'forever' is not a duration "
                        + "(examples: 30s, 5m, 2h, 7d, 250ms, PT5M)");
        assertThat(err.toString()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void aBadNumberAndAnUnknownOptionAreRefused() {
        assertThat(run("generate", "--users", "many", "--out", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("'many'").doesNotContain("\tat ");
        assertThat(run("replay", "--clickz", "a.jsonl", "--out", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("replay: Unknown options: '--clickz', 'a.jsonl'");
    }

    @Test
    void theOpsCommandsRefuseBadValuesInOneLine(@TempDir Path tmp) {
        assertThat(run("generate", "--rate", "-5", "--out", tmp.toString())).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("generate: --rate must be 0 or more, got -5.0");
        err.getBuffer().setLength(0);

        assertThat(run("generate", "--garbage-rate", "1.5", "--out", tmp.toString())).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("generate: --garbage-rate must be between 0 and 1, got 1.5");
        err.getBuffer().setLength(0);

        assertThat(run("generate", "--garbage-rate", "0.01", "--out", tmp.toString())).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("generate: --garbage-rate 0.01 needs --bootstrap-servers:"
                + " files get only events");
        err.getBuffer().setLength(0);

        assertThat(run("broker", "--port", "70000", "--dir", tmp.toString())).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("broker: --port must be between 1 and 65535, got 70000");
        err.getBuffer().setLength(0);

        assertThat(run("verify", "--bootstrap-servers", "localhost:1", "--replay", tmp.toString(), "--until",
                "2026-01-01")).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("verify: --replay " + tmp + " has no triggers.jsonl;"
                + " give the --out of `pond replay`");
        err.getBuffer().setLength(0);

        assertThat(run("watch", "--bootstrap-servers", "localhost:1", "--interval", "0s")).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("watch: --interval must be positive, got PT0S");
        err.getBuffer().setLength(0);

        assertThat(run("dashboard", "--bootstrap-servers", "localhost:1", "--port", "70000")).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("dashboard: --port must be between 0 and 65535, got 70000");
        err.getBuffer().setLength(0);

        assertThat(run("demo", "--dashboard-port", "-2")).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("demo: --dashboard-port must be a port number or -1, got -2");
        err.getBuffer().setLength(0);

        assertThat(run("lag", "--bootstrap-servers", "localhost:1", "--await", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration").doesNotContain("\tat ");
    }

    @Test
    void aFailureWhileRunningIsOneLineWithTheCause(@TempDir Path tmp) {
        int code = run("replay", "--clicks", tmp.resolve("missing.jsonl").toString(), "--out", tmp.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines())
                .containsExactly("replay: cannot read " + tmp.resolve("missing.jsonl"));
    }

    @Test
    void anInvalidModelFileIsOneLineNamingTheField(@TempDir Path tmp) throws Exception {
        Path model = Files.writeString(tmp.resolve("model.yaml"), "lifecycle:\n  sleepingRisk: 0.99\n");
        Path clicks = Files.writeString(tmp.resolve("clicks.jsonl"), "");

        int code = run("replay", "--clicks", clicks.toString(), "--model", model.toString(), "--out", tmp.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly(
                "replay: invalid model: lifecycle.sleepingRisk must be above 0 and below lifecycle.churnedRisk, "
                        + "which must be below 1");
    }

    @Test
    void aJobFailureIsReportedByItsDeepestCauseNotFlinksWrappers() {
        Exception wrapped = new RuntimeException("Job execution failed.",
                new RuntimeException("Recovery is suppressed by NoRestartBackoffTimeStrategy",
                        new IllegalStateException("cannot write /out/triggers.jsonl\n\tat somewhere")));
        assertThat(CliErrors.reason(wrapped)).isEqualTo("cannot write /out/triggers.jsonl");
        assertThat(CliErrors.reason(new RuntimeException("outer", new UnsupportedOperationException())))
                .isEqualTo("outer");
        assertThat(CliErrors.reason(new RuntimeException(new UnsupportedOperationException())))
                .isEqualTo("java.lang.UnsupportedOperationException");
        // Pond's own refusals are already the message to show, whatever they wrap.
        assertThat(CliErrors.reason(new IllegalArgumentException("model.yaml: rfm: wrong", new RuntimeException("x"))))
                .isEqualTo("model.yaml: rfm: wrong");
    }

    @Test
    void durationsAndInstantsAcceptTheDocumentedForms() {
        assertThat(Converters.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Converters.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Converters.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Converters.duration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Converters.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Converters.duration("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Converters.instant("2026-03-10T07:00:00Z")).isEqualTo(Instant.parse("2026-03-10T07:00:00Z"));
        assertThat(Converters.instant("2026-03-10")).isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
        assertThatThrownBy(() -> Converters.duration("-5m")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
