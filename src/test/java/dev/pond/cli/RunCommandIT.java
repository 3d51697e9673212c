package dev.pond.cli;

import dev.pond.Pond;
import dev.pond.io.AvroCodec;
import dev.pond.io.JsonCodec;
import dev.pond.job.FlinkConfig;
import dev.pond.out.Trigger;
import dev.pond.testing.KafkaExtension;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production entry as ops use it: {@code pond generate} produces seeded events into Kafka,
 * {@code pond run} (unbounded, exactly-once sinks, checkpoints) scores them; the triggers that
 * appear in {@code pond.triggers} are exactly those a replay of the same seed gives (for the
 * period that the live job's watermark has certainly passed), each once.
 */
class RunCommandIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String START = "2026-09-01T00:00:00Z";
    private static final int DAYS = 10;

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @Test
    void generateThenRunScoresTheStreamLikeReplayEachTriggerOnce(
            @TempDir Path tmp, @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        String[] gen = {"generate", "--users", "150", "--days", String.valueOf(DAYS), "--start", START, "--seed", "11"};
        assertThat(cli(concat(gen, "--bootstrap-servers", bootstrap, "--create-topics", "--partitions", "2"))).isZero();
        assertThat(cli(concat(gen, "--out", tmp.resolve("events").toString()))).isZero();

        Path replay = tmp.resolve("replay");
        assertThat(cli("replay", "--clicks", tmp.resolve("events/clicks.jsonl").toString(),
                "--reads", tmp.resolve("events/reads.jsonl").toString(),
                "--orders", tmp.resolve("events/orders.jsonl").toString(), "--out", replay.toString())).isZero();
        // The live job's watermark ends somewhere in the last hours of the data (it depends on which
        // partition goes idle last); a day before the end, every timer has certainly fired.
        long cutoff = Instant.parse(START).plus(Duration.ofDays(DAYS - 1)).toEpochMilli();
        Map<String, String> expected = new HashMap<>();
        for (String line : Files.readAllLines(replay.resolve("triggers.jsonl"))) {
            Trigger t = JsonCodec.read(line, Trigger.class);
            if (t.getFiredAt().toEpochMilli() < cutoff) {
                expected.put(t.getTriggerId(), line);
            }
        }
        assertThat(expected).hasSizeGreaterThan(20);

        String conf = flinkConf(tmp.resolve("conf")).toString();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cli("run",
                "--bootstrap-servers", bootstrap, "--create-topics", "--partitions", "2", "--replication-factor", "1",
                "--idleness", "1s", "--flink-conf", conf));
        try {
            Map<String, List<String>> seen = awaitTriggers(bootstrap, cutoff, expected.size(), run);
            assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            seen.forEach((id, lines) -> {
                assertThat(lines).as("trigger %s", id).hasSize(1);
                assertThat(lines.get(0)).isEqualTo(expected.get(id));
            });
        } finally {
            for (JobStatusMessage job : cluster.listJobs().get()) {
                if (!job.getJobState().isGloballyTerminalState()) {
                    cluster.cancel(job.getJobId()).get();
                }
            }
        }
        assertThat(run.get()).isEqualTo(1); // the cancelled job ends the command with a one-line error
    }

    /** Reads the triggers topic until it holds {@code count} triggers before the cutoff, or fails. */
    private static Map<String, List<String>> awaitTriggers(String bootstrap, long cutoff, int count,
                                                           CompletableFuture<Integer> run) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        AvroCodec<Trigger> codec = new AvroCodec<>(Trigger.class);
        Map<String, List<String>> seen = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                consumer.listTopics(Duration.ofSeconds(5)).getOrDefault("pond.triggers", List.of())
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (seen.size() < count) {
                assertThat(run).as("the run command ended early").isNotDone();
                assertThat(System.nanoTime()).as("triggers seen before the deadline: %d of %d", seen.size(), count)
                        .isLessThan(deadline);
                collect(consumer, codec, cutoff, seen);
            }
            // Anything more that arrives in the next checkpoint would be a duplicate.
            long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < settle) {
                collect(consumer, codec, cutoff, seen);
            }
        }
        return seen;
    }

    private static void collect(KafkaConsumer<byte[], byte[]> consumer, AvroCodec<Trigger> codec, long cutoff,
                                Map<String, List<String>> seen) throws java.io.IOException {
        for (var r : consumer.poll(Duration.ofMillis(500))) {
            Trigger t = codec.decode(r.value());
            if (t.getFiredAt().toEpochMilli() < cutoff) {
                seen.computeIfAbsent(t.getTriggerId(), id -> new ArrayList<>()).add(JsonCodec.write(t));
            }
        }
    }

    /** The shipped Flink settings with local directories and a 1 s checkpoint interval, as a conf dir. */
    private static Path flinkConf(Path dir) throws Exception {
        Configuration conf = FlinkConfig.local(dir);
        conf.setString("execution.checkpointing.interval", "1 s");
        Files.createDirectories(dir);
        String yaml = conf.toMap().entrySet().stream()
                .map(e -> e.getKey() + ": '" + e.getValue().replace("'", "''") + "'")
                .collect(Collectors.joining("\n"));
        Files.writeString(dir.resolve("config.yaml"), yaml + "\n");
        return dir;
    }

    private static int cli(String... args) {
        return Pond.commandLine().execute(args);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
