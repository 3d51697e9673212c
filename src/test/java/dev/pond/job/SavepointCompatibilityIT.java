package dev.pond.job;

import dev.pond.demo.EmbeddedKafka;
import dev.pond.demo.Generator;
import dev.pond.demo.KafkaEventSink;
import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import dev.pond.io.AvroCodec;
import dev.pond.io.KafkaClients;
import dev.pond.io.KafkaSinks;
import dev.pond.io.KafkaSources;
import dev.pond.model.ModelLoader;
import dev.pond.out.Profile;
import dev.pond.scoring.UserScoringOperator;
import dev.pond.state.UserState;
import dev.pond.testing.KafkaExtension;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The savepoint contract. {@code src/test/resources/savepoints/v1} is a savepoint of the whole
 * Kafka job (parallelism 2, RocksDB, exactly-once sinks), taken with stop-with-savepoint after it
 * had read the first {@link #PART_ONE} events of a seeded shop. A change that renames a uid, drops
 * an operator's state or changes a serializer incompatibly makes this test fail, instead of a
 * production upgrade: the job restores it with unclaimed state forbidden.
 *
 * <p>The test feeds a fresh broker the same events in the same order, so that the offsets in the
 * savepoint point at the same records, then the rest of the shop's events; it resumes the job from
 * the savepoint at parallelism 1 (a rescale from 2), lets it read the rest, and stops it with a
 * savepoint of its own. Every user's state then covers both parts: the first and last event times
 * stored are those of all their events, which only a restored state can know, since the resumed
 * job read none of the first part. The profiles it writes carry the first part's facts.
 *
 * <p>To write the fixture again (only when a change breaks the contract on purpose, with a note on
 * how production is upgraded): {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.pond.job.SavepointCompatibilityIT -Dexec.args=src/test/resources/savepoints/v1}.
 */
class SavepointCompatibilityIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final long SEED = 23;
    private static final int USERS = 300;
    private static final Instant START = Instant.parse("2026-05-01T00:00:00Z");
    private static final Duration SPAN = Duration.ofDays(6);
    /** Events the savepoint has read; the rest come after it. */
    static final int PART_ONE = 2_500;
    private static final Topics TOPICS = new Topics("sp.clicks", "sp.reads", "sp.orders", "sp.triggers",
            "sp.tags", "sp.profiles", "sp.segments", "sp.alerts", "sp.deadletter", "sp.control");
    private static final String GROUP = "pond-savepoint";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Test
    void theJobResumesFromTheKeptSavepointAtAnotherParallelismWithEveryUsersState(
            @TempDir Path tmp, @InjectMiniCluster MiniCluster cluster) throws Exception {
        Path fixture = fixture();
        List<SpecificRecord> events = events();
        KafkaClients.ensureTopics(KAFKA.clientConfig(), TOPICS.all(), Set.of(), 2, (short) 1);
        produce(KAFKA.bootstrapServers(), events);

        Configuration conf = FlinkConfig.local(tmp);
        conf.setString("execution.state-recovery.path", fixture.toUri().toString());
        conf.setString("execution.state-recovery.ignore-unclaimed-state", "false");
        JobClient job = start(KAFKA.bootstrapServers(), conf, 1);
        awaitAllRead(KAFKA.bootstrapServers(), job);
        String after = job.stopWithSavepoint(false, tmp.resolve("after").toUri().toString(),
                SavepointFormatType.CANONICAL).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        job.getJobExecutionResult().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        RestoredCheckpointStats restored = cluster.getArchivedExecutionGraph(job.getJobID())
                .get(30, TimeUnit.SECONDS).getCheckpointStatsSnapshot().getLatestRestoredCheckpoint();
        assertThat(restored).as("the checkpoint the job restored").isNotNull();
        assertThat(restored.getExternalPath()).contains(fixture.getFileName().toString());

        // Every user's state knows both parts: the first part only through the savepoint.
        Map<String, long[]> seen = firstAndLastSeen(events);
        Map<String, long[]> stored = new TreeMap<>();
        for (Tuple3<String, Long, Long> s : readStates(after, tmp.resolve("read-after"))) {
            stored.put(s.f0, new long[] {s.f1, s.f2});
        }
        assertThat(stored.keySet()).isEqualTo(seen.keySet());
        Map<String, long[]> partOne = firstAndLastSeen(events.subList(0, PART_ONE));
        long spanning = 0;
        for (var e : seen.entrySet()) {
            assertThat(stored.get(e.getKey())).as("first and last seen of %s", e.getKey()).containsExactly(e.getValue());
            if (partOne.containsKey(e.getKey()) && partOne.get(e.getKey())[1] < e.getValue()[1]) {
                spanning++;
            }
        }
        assertThat(spanning).as("users with events in both parts").isGreaterThan(100);

        // Profiles written after the restore carry what the first part taught: when the user was first seen.
        long checked = 0;
        for (Profile p : readProfiles(KAFKA.bootstrapServers())) {
            long[] one = partOne.get(p.getUserId());
            if (one != null) {
                assertThat(p.getFirstSeenAt().toEpochMilli()).as("first seen of %s", p.getUserId())
                        .isEqualTo(seen.get(p.getUserId())[0]);
                checked++;
            }
        }
        assertThat(checked).as("profiles of users first seen in the first part").isGreaterThan(50);
        System.out.printf("restored %s at parallelism 1: %d users, %d with events in both parts, %d profiles of"
                + " first-part users checked%n", restored.getExternalPath(), stored.size(), spanning, checked);
    }

    /** Reads each user's state as this build's {@link UserState}: (userId, firstSeenAt, lastSeenAt). */
    static final class CurrentReader extends KeyedStateReaderFunction<String, Tuple3<String, Long, Long>> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<UserState> state;

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(UserScoringOperator.stateDescriptor());
        }

        @Override
        public void readKey(String key, Context ctx, Collector<Tuple3<String, Long, Long>> out) throws Exception {
            UserState s = state.value();
            out.collect(Tuple3.of(key, s.getFirstSeenAt(), s.getLastSeenAt()));
        }
    }

    private static List<Tuple3<String, Long, Long>> readStates(String savepoint, Path work) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(readerConf(work));
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        SavepointReader reader = SavepointReader.read(env, savepoint, new HashMapStateBackend());
        List<Tuple3<String, Long, Long>> all = new ArrayList<>();
        try (CloseableIterator<Tuple3<String, Long, Long>> it = reader.readKeyedState(
                OperatorIdentifier.forUid(PondJob.UID_SCORING), new CurrentReader(), Types.STRING,
                Types.TUPLE(Types.STRING, Types.LONG, Types.LONG)).executeAndCollect("read the states")) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    private static Configuration readerConf(Path work) {
        Configuration conf = FlinkConfig.local(work);
        conf.setString("parallelism.default", "1");
        // The reader is a batch job of the State Processor API, whose own source has no uid; nothing restores it.
        conf.setString("pipeline.auto-generate-uids", "true");
        conf.setString("restart-strategy.type", "none"); // a reader that fails says why, at once
        return conf;
    }

    /** Per user, the first and the last event time of {@code events}. */
    private static Map<String, long[]> firstAndLastSeen(List<SpecificRecord> events) {
        Map<String, long[]> seen = new HashMap<>();
        for (SpecificRecord e : events) {
            String user;
            long t;
            if (e instanceof ClickEvent c) {
                user = c.getUserId();
                t = c.getTs().toEpochMilli();
            } else if (e instanceof ArticleRead r) {
                user = r.getUserId();
                t = r.getTs().toEpochMilli();
            } else {
                OrderEvent o = (OrderEvent) e;
                user = o.getUserId();
                t = o.getTs().toEpochMilli();
            }
            seen.merge(user, new long[] {t, t}, (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        return seen;
    }

    /** The whole seeded shop, in the generator's order: the first {@link #PART_ONE} make the fixture. */
    private static List<SpecificRecord> events() {
        Generator generator = new Generator(new Generator.Config(SEED, USERS, START, START.plus(SPAN), SPAN.dividedBy(2)));
        List<SpecificRecord> events = new ArrayList<>();
        while (generator.hasNext()) {
            events.add(generator.next());
        }
        assertThat(events.size()).as("events of the shop").isGreaterThan(PART_ONE + 2_000);
        return events;
    }

    private static void produce(String bootstrap, List<SpecificRecord> events) {
        try (KafkaEventSink sink = new KafkaEventSink(bootstrap, Map.of(), TOPICS, 0, SEED)) {
            events.forEach(sink::write);
            sink.flush();
        }
    }

    /** The whole job on Kafka, live (unbounded), as {@code pond run} builds it. */
    private static JobClient start(String bootstrap, Configuration conf, int parallelism) throws Exception {
        JobOptions options = JobOptions.defaults(bootstrap).withTopics(TOPICS).withGroup(GROUP, GROUP)
                .withStart(JobOptions.StartFrom.EARLIEST, false);
        conf.setString("execution.checkpointing.interval", "500 ms");
        conf.setString("execution.checkpointing.min-pause", "0 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        PondJob.defineWorkflow(env, new KafkaSources(options), new KafkaSinks(options), ModelLoader.defaults(),
                Long.MAX_VALUE);
        return env.executeAsync("pond savepoint contract");
    }

    /**
     * Waits until the group's offsets, committed by the sources when a checkpoint completes, reach
     * the end of every input partition: a checkpoint covers every event, and its outputs are committed.
     */
    private static void awaitAllRead(String bootstrap, JobClient job) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Admin admin = Admin.create(KafkaClients.config(bootstrap, Map.of()))) {
            while (true) {
                Map<String, Long> lag = KafkaClients.lag(admin, GROUP, TOPICS.inputs());
                if (lag.values().stream().allMatch(n -> n == 0)) {
                    return;
                }
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    job.getJobExecutionResult().get(); // throws the job's failure
                    throw new AssertionError("the job ended before it had read its input");
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the job did not read all its input within " + TIMEOUT + ": lag " + lag);
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    private static List<Profile> readProfiles(String bootstrap) throws IOException {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        AvroCodec<Profile> codec = new AvroCodec<>(Profile.class);
        List<Profile> profiles = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> parts = List.of(new TopicPartition(TOPICS.profiles(), 0),
                    new TopicPartition(TOPICS.profiles(), 1));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    profiles.add(codec.decode(r.value()));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("profiles not read within " + TIMEOUT);
                }
            }
        }
        return profiles;
    }

    private static Path fixture() throws URISyntaxException, IOException {
        var url = SavepointCompatibilityIT.class.getResource("/savepoints/v1");
        assertThat(url).as("the kept savepoint src/test/resources/savepoints/v1").isNotNull();
        Path dir = Paths.get(url.toURI());
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().equals("_metadata")).findFirst()
                    .orElseThrow(() -> new AssertionError("no _metadata under " + dir)).getParent();
        }
    }

    /**
     * Writes the fixture: the first {@link #PART_ONE} events into a fresh embedded broker, the job
     * at parallelism 2 over them until the sources have committed the end of every partition, then
     * stop-with-savepoint into {@code args[0]} (which must not exist yet).
     */
    public static void main(String[] args) throws Exception {
        Path target = Paths.get(args[0]).toAbsolutePath();
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists; remove it first");
        }
        Path work = Files.createTempDirectory("pond-savepoint-fixture");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaClients.ensureTopics(KafkaClients.config(kafka.bootstrapServers(), Map.of()), TOPICS.all(), Set.of(),
                    2, (short) 1);
            produce(kafka.bootstrapServers(), events().subList(0, PART_ONE));
            Configuration conf = FlinkConfig.local(work);
            JobClient job = start(kafka.bootstrapServers(), conf, 2);
            awaitAllRead(kafka.bootstrapServers(), job);
            Files.createDirectories(target);
            String savepoint = job.stopWithSavepoint(false, target.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            job.getJobExecutionResult().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            System.out.println("savepoint of job " + job.getJobID() + " written to " + savepoint);
        }
        System.exit(0);
    }
}
