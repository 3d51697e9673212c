package dev.pond.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pond.Pond;
import dev.pond.demo.Generator;
import dev.pond.demo.JsonLinesEventSink;
import dev.pond.demo.KafkaEventSink;
import dev.pond.io.KafkaClients;
import dev.pond.job.Topics;
import dev.pond.testing.KafkaExtension;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pond backtest --bootstrap-servers}: a time range of the input topics gives the same report
 * as the event files of the same events, cut to the same range; the garbage the topics also hold
 * (as producers send it) is left out, as the job would send it to the dead letters.
 */
class BacktestTopicsIT {

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final Topics TOPICS = Topics.prefixed("bt");
    private static final Instant START = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant FROM = START.plus(Duration.ofDays(5));
    private static final Instant UNTIL = START.plus(Duration.ofDays(30));
    private static final String NOW = "2026-04-01T00:00:00Z";

    @Test
    void aRangeOfTheTopicsReportsAsItsEventFilesDo(@TempDir Path dir) throws Exception {
        KafkaClients.ensureTopics(KAFKA.clientConfig(), List.of(TOPICS.clicks(), TOPICS.reads(), TOPICS.orders()),
                Set.of(), 2, (short) 1);
        // A seeded shop, to the topics (with 1% garbage records) and, cut to the range, to files.
        Generator generator = new Generator(new Generator.Config(11, 80, START, START.plus(Duration.ofDays(35)),
                Duration.ofDays(10)));
        List<SpecificRecord> inRange = new ArrayList<>();
        try (KafkaEventSink topics = new KafkaEventSink(KAFKA.bootstrapServers(), Map.of(), TOPICS, 0.01, 5)) {
            while (generator.hasNext()) {
                SpecificRecord e = generator.next();
                topics.write(e);
                Instant ts = (Instant) e.get(e.getSchema().getField("ts").pos());
                if (!ts.isBefore(FROM) && ts.isBefore(UNTIL)) {
                    inRange.add(e);
                }
            }
            topics.flush();
        }
        try (JsonLinesEventSink files = new JsonLinesEventSink(dir.resolve("events"))) {
            for (SpecificRecord e : inRange) {
                files.write(e);
            }
        }

        int fromTopics = Pond.commandLine().execute("backtest", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--clicks-topic", TOPICS.clicks(), "--reads-topic", TOPICS.reads(), "--orders-topic", TOPICS.orders(),
                "--from", FROM.toString(), "--until", UNTIL.toString(), "--now", NOW,
                "--out", dir.resolve("topics").toString());
        int fromFiles = Pond.commandLine().execute("backtest", "--clicks", dir.resolve("events/clicks.jsonl").toString(),
                "--reads", dir.resolve("events/reads.jsonl").toString(),
                "--orders", dir.resolve("events/orders.jsonl").toString(),
                "--until", UNTIL.toString(), "--now", NOW, "--out", dir.resolve("files").toString());
        assertThat(fromTopics).isZero();
        assertThat(fromFiles).isZero();

        // The exported history holds exactly the range's events, in event-time order.
        for (String kind : List.of("clicks", "reads", "orders")) {
            List<String> exported = Files.readAllLines(dir.resolve("topics/history/" + kind + ".jsonl"));
            List<String> expected = Files.readAllLines(dir.resolve("events/" + kind + ".jsonl"));
            assertThat(exported).as(kind).containsExactlyInAnyOrderElementsOf(expected).isNotEmpty();
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(Files.readString(dir.resolve("topics/backtest.json"), StandardCharsets.UTF_8));
        JsonNode b = json.readTree(Files.readString(dir.resolve("files/backtest.json"), StandardCharsets.UTF_8));
        assertThat(a).isEqualTo(b);
        assertThat(a.toString()).contains("CART_ABANDONED");
    }
}
