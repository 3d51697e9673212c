package dev.pond.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ops/chaos.sh}, the short run, as CI runs it: a real broker ({@code pond broker}), a real
 * Flink standalone cluster (JobManager and TaskManagers as separate JVMs, {@code ops/cluster.sh}),
 * the built {@code target/pond.jar} submitted through Flink's CLI, two {@code kill -9} of the
 * TaskManager while events flow, a rescale 2 → 1 → 2 through savepoints, the second resume by a
 * newer build whose {@code UserState} gained a field, and {@code pond verify} against a
 * failure-free replay. Asserts the script's verdict and the counts it printed: every trigger of
 * the replay committed exactly once, no other, and no tag change or profile twice.
 *
 * <p>Runs after {@code package} (failsafe), so the jar is the one just built. Needs bash, curl and
 * python3, as the scripts do; skips with a message where one is missing.
 */
class ClusterChaosIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Test
    void killedTaskManagersRescalesAndAnUpgradeLoseAndRepeatNothing(@TempDir Path work) throws Exception {
        for (String tool : List.of("bash", "curl", "python3")) {
            assumeTrue(OpsScripts.onPath(tool), "ops/chaos.sh needs " + tool + " on the PATH; skipped");
        }
        Path root = Path.of("").toAbsolutePath();
        assertThat(root.resolve("target/pond.jar")).as("the jar of this build").exists();
        Path log = work.resolve("chaos.log");
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("ops/chaos.sh").toString(), "--kills", "2", "--seconds", "110")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("POND_CHAOS_DIR", work.resolve("chaos").toString());
        pb.environment().put("POND_KAFKA_PORT", String.valueOf(OpsScripts.freePort()));
        pb.environment().put("POND_REST_PORT", String.valueOf(OpsScripts.freePort()));
        pb.environment().put("POND_RPC_PORT", String.valueOf(OpsScripts.freePort()));
        Process chaos = pb.start();
        boolean ended = chaos.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            chaos.descendants().forEach(ProcessHandle::destroyForcibly);
            chaos.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(ended).as("chaos.sh ended within %s; it said:%n%s", TIMEOUT, out).isTrue();
        assertThat(chaos.exitValue()).as("exit code of chaos.sh; it said:%n%s", out).isZero();

        assertThat(matches(out, "kill \\d: TaskManager killed with SIGKILL")).as("kills").isEqualTo(2);
        assertThat(out).contains("rescaled 2 -> 1").contains("rescaled 1 -> 2 with the newer build");
        Matcher t = Pattern.compile("triggers: (\\d+) committed, (\\d+) triggerIds more than once; up to \\S+: (\\d+)"
                + " committed, (\\d+) in the replay, (\\d+) missing, (\\d+) extra").matcher(out);
        assertThat(t.find()).as("the triggers line of pond verify").isTrue();
        assertThat(Long.parseLong(t.group(2))).as("triggerIds committed more than once").isZero();
        assertThat(Long.parseLong(t.group(4))).as("triggers of the replay compared").isGreaterThan(200);
        assertThat(t.group(3)).as("triggers committed vs replay").isEqualTo(t.group(4));
        assertThat(t.group(5) + "/" + t.group(6)).as("missing/extra").isEqualTo("0/0");
        assertThat(out).contains("tag changes: ").contains(" 0 twice, 0 inconsistent")
                .containsPattern("profiles: \\d+ committed, 0 twice, 300 users \\(replay: 300\\), 0 last profiles")
                .contains("verify: OK").contains("chaos: ").contains("PASSED");
    }

    private static long matches(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
