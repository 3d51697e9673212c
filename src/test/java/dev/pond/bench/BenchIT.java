package dev.pond.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pond.demo.Generator;
import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import dev.pond.model.ModelLoader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code pond bench} end to end at a tiny size: every phase runs on the real broker and a real
 * local Flink, and the report holds what each measured. Speeds are not asserted (they belong to
 * the bench, not to a test); what is asserted is that each phase processed the whole data set and
 * that the stored state is that of exactly the users in it.
 */
class BenchIT {

    private static final long EVENTS = 40_000;
    private static final int USERS = 4_000;
    private static final long SEED = 42;

    @TempDir
    Path out;

    @Test
    void everyPhaseRunsOverTheWholeDataSetAndTheReportSaysSo() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Bench bench = new Bench(new Bench.Settings(EVENTS, USERS, SEED, 2, "128m", 2, 500, Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofMinutes(3), out, Set.copyOf(Bench.Settings.ALL),
                Duration.ofSeconds(1), Map.of()), ModelLoader.demoShop(), ModelLoader.demoShopYaml(), new PrintStream(console, true, StandardCharsets.UTF_8));

        String markdown;
        try {
            markdown = bench.run();
        } catch (Exception e) {
            throw new AssertionError("the bench failed; it said:\n" + console.toString(StandardCharsets.UTF_8), e);
        }

        assertThat(Files.readString(out.resolve("bench.md"))).isEqualTo(markdown);
        JsonNode json = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
        assertThat(json.at("/machine/cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        List<String> phases = new ArrayList<>();
        for (JsonNode phase : json.get("phases")) {
            phases.add(phase.get("phase").asText());
            // Each phase's own counter saw the data set exactly: nothing lost, nothing counted twice.
            long events = phase.get("phase").asText().equals(Bench.SMALL) ? EVENTS / 2 : EVENTS;
            assertThat(phase.get("processed").asLong()).isEqualTo(events);
            // Timed after the warm-up (a fifth of the data set): what followed it.
            assertThat(phase.get("events").asLong()).isBetween(1L, events * 4 / 5);
            assertThat(phase.get("eventsPerSecond").asDouble()).isPositive();
            // What the JIT compiler spent in the timed part (none where the JVM does not count it).
            assertThat(phase.get("jitSeconds").asDouble()).isNotNegative();
        }
        assertThat(phases).containsExactly(Bench.COLD, "A", "B", "K", "C", Bench.UNBUNDLED, "D", Bench.SMALL);
        JsonNode c = json.get("phases").get(4);
        assertThat(c.at("/perEvent/profilesPerEvent").asDouble()).isPositive();
        // Without bundles every event and every fired timer reads its user's state once; with
        // them, a user's waiting events share one read. (Within 0.5 %: the counters are read one
        // after another from a job that still runs, and a timer may fire in between.)
        JsonNode unbundled = json.get("phases").get(5).get("perEvent");
        assertThat(unbundled.get("stateReadsPerEvent").asDouble())
                .isCloseTo(1 + unbundled.get("timersPerEvent").asDouble(), within(0.005));
        assertThat(c.at("/perEvent/stateReadsPerEvent").asDouble())
                .isGreaterThan(c.at("/perEvent/timersPerEvent").asDouble())
                .isLessThan(unbundled.get("stateReadsPerEvent").asDouble());

        // The savepoint of C holds one state per user who sent an event, no more, no fewer.
        assertThat(json.at("/userState/users").asLong()).isEqualTo(usersIn(EVENTS, USERS));
        assertThat(json.at("/userState/medianBytes").asInt()).isPositive()
                .isLessThanOrEqualTo(json.at("/userState/p99Bytes").asInt());

        // The re-tag at the end of C visited every stored user once, over both subtasks.
        assertThat(json.at("/retag/users").asLong()).isEqualTo(usersIn(EVENTS, USERS));
        assertThat(json.at("/retag/seconds").asDouble()).isPositive();

        JsonNode latency = json.get("latency");
        assertThat(latency).hasSize(2);
        for (JsonNode run : latency) {
            assertThat(run.get("outputs").asLong()).isPositive();
            assertThat(run.get("p50Millis").asLong()).isNotNegative()
                    .isLessThanOrEqualTo(run.get("p99Millis").asLong());
            assertThat(run.get("p99Millis").asLong()).isLessThanOrEqualTo(run.get("maxMillis").asLong());
        }
        assertThat(json.get("targets")).extracting(t -> t.get("name").asText()).contains(
                "full job / Flink decode-only (C/B)", "full job / one state access per event (C/K)",
                "stored UserState, median user",
                "p99 latency, at least once, read_uncommitted", "p99 latency, exactly once, read_committed",
                "throughput with 2× the users (C / C-small)");
        assertThat(markdown).contains("| C | Pond job, RocksDB state, exactly-once sinks | ");
    }

    /** The users among the first {@code events} events of the bench's generator shop. */
    private static long usersIn(long events, int users) {
        Generator generator = BenchData.generator(SEED, users);
        Set<String> seen = new HashSet<>();
        for (long i = 0; i < events; i++) {
            SpecificRecord e = generator.next();
            seen.add(e instanceof ClickEvent c ? c.getUserId()
                    : e instanceof ArticleRead r ? r.getUserId() : ((OrderEvent) e).getUserId());
        }
        return seen.size();
    }
}
