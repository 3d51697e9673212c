package dev.pond.job;

import dev.pond.demo.Generator;
import dev.pond.demo.KafkaEventSink;
import dev.pond.io.AvroCodec;
import dev.pond.io.Inbound;
import dev.pond.io.JsonCodec;
import dev.pond.io.KafkaClients;
import dev.pond.io.KafkaSinks;
import dev.pond.io.KafkaSources;
import dev.pond.io.TopicReader;
import dev.pond.model.ModelLoader;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import dev.pond.out.Trigger;
import dev.pond.testing.KafkaExtension;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ArchivedExecution;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once across a failure: the same seeded shop traffic is scored twice from the same Kafka
 * input topics, each run into its own output topics. Run A runs through, without bundles; in run
 * B, with large bundles, one task throws in the middle of the stream, after a checkpoint has
 * completed, and the job restarts from the latest checkpoint (RocksDB state, source offsets, Kafka
 * transactions). What {@code read_committed} consumers see of B must be what they see of A: so
 * bundles change no trigger, and a failure with events waiting in a bundle loses none.
 *
 * <p>How exact "the same" can be is set by the job, not by the failure. Triggers are a function of
 * event time alone (cart clicks wait for the watermark), so B's must equal A's record for record.
 * Tag changes and profiles are made as a user's events <em>arrive</em>, evaluated at the latest
 * event time seen so far; over Kafka the order in which one user's events arrive from the three
 * input topics depends on how fast each source happens to read (while catching up, days of event
 * time apart), so two failure-free runs already differ in some users' tag changes and profiles,
 * and the same events replayed from files (in event-time order) differ more. For those the test
 * asserts what every correct run has, whatever the arrival order, and what a lost or repeated
 * transaction would break: each user's changes are consistent (no tag added while present or
 * removed while absent), no record comes twice, the last profile carries the tags the changes
 * end with, and the same users are there. It prints how many users' records differ from A's.
 *
 * <p>The failure comes from an identity map between the sources and the rest of the job (in both
 * runs, so that they run the same graph), not from a static hook: it throws once, in whichever
 * subtask first creates a marker file, and never in an attempt after a restart.
 */
class ExactlyOnceFailoverIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .setConfiguration(littleInFlight())
                    .build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final long SEED = 11;
    /**
     * Enough that the first checkpoint completes early in the stream: at 500 users it came at about
     * 60 % of a subtask's records, and once in CI only after the last. At 1,500 it came at about
     * half, and once in CI (after the referral operator joined the graph, one more state to
     * snapshot) again only after the last, so that no failure was injected.
     */
    private static final int USERS = 3000;
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration SPAN = Duration.ofDays(5);
    /** Timers after the last event's day do not fire, so a bounded run ends at a fixed moment. */
    private static final Instant HORIZON = START.plus(SPAN);
    /** Records one subtask passes on after the first checkpoint it hears completed, before it fails. */
    private static final long FAIL_AFTER = 300;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Run A scores each event as it arrives, run B in bundles far larger than the default and never
     * flushed by the clock: a bundle is scored only when the watermark moves, when it is full, and
     * before a barrier, so the failure finds events waiting in one, lost with the task and read
     * again from the checkpoint's offsets. B's triggers must still be A's.
     */
    private static final int B_BUNDLE_SIZE = 20_000;
    private static final Duration B_BUNDLE_LATENCY = Duration.ofMinutes(10);

    @Test
    void aRestoreFromACheckpointNeitherLosesNorRepeatsCommittedOutput(
            @TempDir Path tmp, @InjectMiniCluster MiniCluster cluster) throws Exception {
        Topics a = topics("a");
        Topics b = topics("b");
        List<String> all = new ArrayList<>(a.all());
        all.addAll(b.outputs());
        createTopics(all);
        long events = produceEvents(a);

        Path marker = tmp.resolve("injected-failure");
        Run runA = run("a", a, tmp.resolve("a"), tmp.resolve("no-failure"), Long.MAX_VALUE, 0, cluster);
        Run runB = run("b", b, tmp.resolve("b"), marker, FAIL_AFTER, B_BUNDLE_SIZE, cluster);
        Map<String, Long> failure = assertFailedMidStreamAndRestored(runA, runB, marker, events);

        // Triggers: the same multiset of whole records, each triggerId once, and not trivially few.
        List<Keyed> triggersA = read(a.triggers(), Trigger.class, true);
        List<Keyed> triggersB = read(b.triggers(), Trigger.class, true);
        assertThat(triggersA).as("triggers of run A (1,425 with this seed)").hasSizeGreaterThan(500);
        assertThat(repeated(triggerIds(triggersA))).as("triggerIds twice in A").isEmpty();
        assertThat(repeated(triggerIds(triggersB))).as("triggerIds twice in B").isEmpty();
        assertThat(difference(byUser(triggersA, true), byUser(triggersB, true)))
                .as("triggers of run B vs run A (per user, sorted)").isNull();

        // Tag changes and profiles: one user's records share a partition, so they are read in the order made.
        List<Keyed> tagsA = read(a.tags(), TagChange.class, true);
        List<Keyed> tagsB = read(b.tags(), TagChange.class, true);
        List<Keyed> profilesA = read(a.profiles(), Profile.class, true);
        List<Keyed> profilesB = read(b.profiles(), Profile.class, true);
        Map<String, Set<String>> finalTagsA = assertConsistent("A", tagsA, profilesA);
        Map<String, Set<String>> finalTagsB = assertConsistent("B", tagsB, profilesB);
        assertThat(finalTagsB.keySet()).as("users with tags, B vs A").isEqualTo(finalTagsA.keySet());
        assertThat(byUser(profilesB, false).keySet()).as("users with a profile, B vs A")
                .isEqualTo(byUser(profilesA, false).keySet());

        // What the aborted attempt wrote is in B's topics, visible to read_uncommitted only.
        int uncommittedTriggers = read(b.triggers(), Trigger.class, false).size();
        int uncommittedProfiles = read(b.profiles(), Profile.class, false).size();
        assertThat(uncommittedTriggers).as("read_uncommitted triggers of B").isGreaterThanOrEqualTo(triggersB.size());
        assertThat(uncommittedProfiles).as("read_uncommitted profiles of B").isGreaterThanOrEqualTo(profilesB.size());

        System.out.printf("%d events; run A %d ms; run B %d ms, failed %s, %d checkpoints completed, restored from"
                        + " checkpoint %d, records per subtask after the restart %s (all of A: %s)%n",
                events, runA.millis(), runB.millis(), failure, runB.completedCheckpoints(), runB.restoredFrom(),
                runB.records(), runA.records());
        System.out.printf("equal in A and B: triggers %s (%d records, read_uncommitted in B: %d); consistent in"
                        + " A and B: tag changes of %d users (A %d, B %d) and their last profiles (profiles A %d,"
                        + " B %d, read_uncommitted in B: %d)%n",
                triggerTypes(triggersA), triggersA.size(), uncommittedTriggers, finalTagsA.size(), tagsA.size(),
                tagsB.size(), profilesA.size(), profilesB.size(), uncommittedProfiles);
        System.out.printf("differ between A and B (arrival order, see the class comment): users' final tags %s,"
                        + " tag changes %s, profiles %s, last profiles %s%n",
                differing(sets(finalTagsA), sets(finalTagsB)), differing(byUser(tagsA, false), byUser(tagsB, false)),
                differing(byUser(profilesA, false), byUser(profilesB, false)),
                differing(lastByUser(profilesA), lastByUser(profilesB)));
    }

    /**
     * Small and few network buffers. With Flink's defaults the whole input fits in the buffers
     * between the sources and the scoring operator, and the first checkpoint's barrier (aligned, as
     * in production) gets through only once every record has: there would be no middle of the
     * stream left to fail in.
     */
    private static Configuration littleInFlight() {
        Configuration conf = new Configuration();
        conf.setString("taskmanager.memory.segment-size", "4kb");
        conf.setString("taskmanager.network.memory.floating-buffers-per-gate", "2");
        conf.setString("taskmanager.network.memory.max-buffers-per-channel", "2");
        return conf;
    }

    /**
     * Two partitions each, kept forever. Records carry their event time (March 2026), and with the
     * broker's default retention (7 days, first checked 30 s after start) a topic whose newest
     * record is older than that is emptied under the test's feet. Profiles are not compacted here,
     * so that every profile each run wrote can be read. Created as the job creates its own, waiting
     * until each partition's leader serves it (KAFKA-15591: an early write can be lost otherwise).
     */
    private static void createTopics(List<String> names) throws Exception {
        KafkaClients.ensureTopics(KAFKA.clientConfig(), names, Set.of(), 2, (short) 1,
                Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
    }

    /** The shared input topics, and output topics of the run's own. */
    private static Topics topics(String run) {
        String out = "eo." + run + ".";
        return new Topics("eo.clicks", "eo.reads", "eo.orders", out + "triggers", out + "tags", out + "profiles",
                out + "segments", out + "alerts", out + "deadletter", "eo.control");
    }

    /** Generated shop traffic, as {@code pond generate} makes it, into the input topics. */
    private static long produceEvents(Topics topics) {
        Generator generator = new Generator(new Generator.Config(SEED, USERS, START, START.plus(SPAN), SPAN.dividedBy(2)));
        long n = 0;
        try (KafkaEventSink sink = new KafkaEventSink(KAFKA.bootstrapServers(), Map.of(), topics, 0, SEED)) {
            while (generator.hasNext()) {
                sink.write(generator.next());
                n++;
            }
        }
        return n;
    }

    /**
     * What a finished run left: how long it ran, the errors of its failed attempts, the checkpoint
     * it last restored from (null if none), and the records each subtask of the failure injector
     * passed on in its last attempt.
     */
    private record Run(long millis, List<String> failures, Long restoredFrom, long completedCheckpoints,
            Map<Integer, Long> records) {}

    /** The whole job over the input topics into the run's output topics, until the input's end. */
    private static Run run(String name, Topics topics, Path dir, Path marker, long failAfter, int bundleSize,
            MiniCluster cluster) throws Exception {
        JobOptions options = JobOptions.defaults(KAFKA.bootstrapServers())
                .withTopics(topics)
                .withGroup("eo-" + name, "eo-" + name)
                .withStart(JobOptions.StartFrom.EARLIEST, true);
        Configuration conf = FlinkConfig.local(dir);
        conf.setString("execution.checkpointing.interval", "200 ms");
        conf.setString("execution.checkpointing.min-pause", "0 ms");
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "2");
        conf.setString("restart-strategy.fixed-delay.delay", "100 ms");
        conf.set(PondJob.BUNDLE_SIZE, bundleSize);
        conf.set(PondJob.BUNDLE_LATENCY, B_BUNDLE_LATENCY);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        PondSources sources = new FailingOnce(new KafkaSources(options), marker.toString(), failAfter);
        PondJob.defineWorkflow(env, sources, new KafkaSinks(options), ModelLoader.defaults(), HORIZON.toEpochMilli());
        JobExecutionResult result = env.execute("pond exactly-once " + name);

        AccessExecutionGraph graph = cluster.getArchivedExecutionGraph(result.getJobID()).get(30, TimeUnit.SECONDS);
        CheckpointStatsSnapshot checkpoints = graph.getCheckpointStatsSnapshot();
        RestoredCheckpointStats restored = checkpoints.getLatestRestoredCheckpoint();
        Map<Integer, Long> records = new TreeMap<>();
        result.getAllAccumulatorResults().forEach((k, v) -> {
            if (k.startsWith(FailOnce.RECORDS)) {
                records.put(Integer.parseInt(k.substring(FailOnce.RECORDS.length())), (Long) v);
            }
        });
        return new Run(result.getNetRuntime(TimeUnit.MILLISECONDS), failures(graph),
                restored == null ? null : restored.getCheckpointId(),
                checkpoints.getCounts().getNumberOfCompletedCheckpoints(), records);
    }

    /**
     * That A ran through, and that B failed once where the marker says: after a checkpoint had
     * completed, with records of the failing subtask still to come; and that B restored from a
     * checkpoint, reading again from its offsets, not from the start.
     *
     * @return what the marker says, and how many records the failing subtask passed on twice
     *     (before the failure and again after the restart)
     */
    private static Map<String, Long> assertFailedMidStreamAndRestored(Run runA, Run runB, Path marker, long events)
            throws IOException {
        assertThat(runA.failures()).as("failed attempts in run A").isEmpty();
        assertThat(runA.restoredFrom()).as("checkpoint run A restored from").isNull();
        assertThat(runA.records().values().stream().mapToLong(Long::longValue).sum()).as("records through A")
                .isEqualTo(events);
        assertThat(marker).as("the marker of the injected failure").exists();
        Map<String, Long> failure = new TreeMap<>();
        for (String pair : Files.readString(marker).strip().split(" ")) {
            String[] kv = pair.split("=");
            failure.put(kv[0], Long.parseLong(kv[1]));
        }
        assertThat(failure.get("checkpoint")).as("checkpoint completed before the failure").isGreaterThanOrEqualTo(1);
        assertThat(runB.failures()).as("failed attempts in run B").isNotEmpty()
                .allSatisfy(f -> assertThat(f).contains("injected failure"));
        assertThat(runB.restoredFrom()).as("checkpoint run B restored from").isNotNull()
                .isGreaterThanOrEqualTo(failure.get("checkpoint"));
        int subtask = failure.get("subtask").intValue();
        long all = runA.records().get(subtask);
        long before = failure.get("records") - 1; // the record it failed on was not passed on
        assertThat(all - before).as("records of subtask %d still to come after the failure", subtask)
                .isGreaterThan(all / 10);
        assertThat(runB.records().get(subtask)).as("records subtask %d passed on after the restart", subtask)
                .isGreaterThanOrEqualTo(all - before);
        assertThat(runB.records().values().stream().mapToLong(Long::longValue).sum())
                .as("records passed on after the restart (from the checkpoint's offsets, not from the start)")
                .isLessThan(events);
        failure.put("replayed", runB.records().get(subtask) - (all - before));
        return failure;
    }

    /** The errors of every failed attempt of every task. */
    private static List<String> failures(AccessExecutionGraph graph) {
        List<String> errors = new ArrayList<>();
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            for (ArchivedExecution e : v.getExecutionHistory().getHistoricalExecutions()) {
                e.getFailureInfo().ifPresent(f -> errors.add(v.getTaskNameWithSubtaskIndex() + " attempt "
                        + e.getAttemptNumber() + ": " + f.getExceptionAsString()));
            }
        }
        return errors;
    }

    /**
     * The job's own sources, then an identity map with the sources' parallelism, connected one to
     * one (forward): it neither reorders a user's events nor changes the rest of the graph.
     */
    private record FailingOnce(PondSources sources, String marker, long failAfter) implements PondSources {
        @Override
        public DataStream<Inbound> inbound(StreamExecutionEnvironment env) {
            DataStream<Inbound> in = sources.inbound(env);
            return in.map(new FailOnce(marker, failAfter))
                    .returns(in.getType())
                    .uid("test-inject-failure")
                    .name("Inject one failure")
                    .setParallelism(in.getParallelism());
        }
    }

    /**
     * Passes records on; once it has heard that a checkpoint completed and has passed on {@code
     * failAfter} more, it fails its task, if it is the first to create the marker file (so one
     * subtask, once). The marker says which subtask failed, after which checkpoint, on its how-many-th
     * record. An accumulator per subtask counts the records passed on in the last attempt.
     */
    static final class FailOnce extends RichMapFunction<Inbound, Inbound> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final String RECORDS = "records-of-subtask-";

        private final String marker;
        private final long failAfter;
        private transient long completedCheckpoint;
        private transient long sinceCheckpoint;
        private transient boolean armed;
        private transient LongCounter records;

        FailOnce(String marker, long failAfter) {
            this.marker = marker;
            this.failAfter = failAfter;
        }

        @Override
        public void open(OpenContext context) {
            armed = getRuntimeContext().getTaskInfo().getAttemptNumber() == 0 && !Files.exists(Path.of(marker));
            records = new LongCounter();
            getRuntimeContext().addAccumulator(RECORDS + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                    records);
        }

        @Override
        public Inbound map(Inbound in) throws IOException {
            if (armed && completedCheckpoint > 0 && ++sinceCheckpoint > failAfter) {
                armed = false;
                int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
                long nth = records.getLocalValue() + 1;
                try {
                    Files.createFile(Path.of(marker)); // atomic: only the first subtask to get here fails
                } catch (FileAlreadyExistsException another) {
                    records.add(1);
                    return in;
                }
                Files.writeString(Path.of(marker), String.format("subtask=%d checkpoint=%d records=%d%n", subtask,
                        completedCheckpoint, nth), StandardCharsets.UTF_8);
                throw new RuntimeException("injected failure on record " + nth + " of subtask " + subtask
                        + ", after checkpoint " + completedCheckpoint);
            }
            records.add(1);
            return in;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (completedCheckpoint == 0) {
                completedCheckpoint = checkpointId;
            }
        }
    }

    /** One record of an output topic: its key (the userId) and the whole record as JSON. */
    private record Keyed(String key, String json) {}

    private static <T extends SpecificRecord> List<Keyed> read(String topic, Class<T> type, boolean committed)
            throws IOException {
        AvroCodec<T> codec = new AvroCodec<>(type);
        List<Keyed> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.read(KAFKA.bootstrapServers(), topic, committed, READ_TIMEOUT)) {
            out.add(new Keyed(new String(r.key(), StandardCharsets.UTF_8), JsonCodec.write(codec.decode(r.value()))));
        }
        return out;
    }

    /**
     * Checks one run's tag changes and profiles against each other, user by user: the changes
     * never add a tag the user has or remove one it has not, no record comes twice, and the last
     * profile carries the tags the changes end with. Returns every user's tags at the end.
     */
    private static Map<String, Set<String>> assertConsistent(String run, List<Keyed> tags, List<Keyed> profiles)
            throws IOException {
        assertThat(tags).as("tag changes of run %s", run).isNotEmpty();
        assertThat(repeated(tags.stream().map(Keyed::toString).toList())).as("tag changes twice in %s", run).isEmpty();
        assertThat(repeated(profiles.stream().map(Keyed::toString).toList())).as("profiles twice in %s", run).isEmpty();
        Map<String, Set<String>> now = new TreeMap<>();
        for (Keyed k : tags) {
            TagChange c = JsonCodec.read(k.json(), TagChange.class);
            Set<String> set = now.computeIfAbsent(c.getUserId(), u -> new TreeSet<>());
            boolean consistent = c.getChange() == TagChangeType.ADDED ? set.add(c.getTag()) : set.remove(c.getTag());
            assertThat(consistent).as("run %s: %s while the user's tags were %s", run, k.json(), set).isTrue();
        }
        for (Map.Entry<String, List<String>> last : lastByUser(profiles).entrySet()) {
            Profile p = JsonCodec.read(last.getValue().get(0), Profile.class);
            assertThat(new TreeSet<>(p.getTags())).as("run %s: tags of the last profile of %s", run, last.getKey())
                    .isEqualTo(now.getOrDefault(last.getKey(), Set.of()));
        }
        return now;
    }

    /** Each user's records in topic order (one user's records share a partition), or sorted. */
    private static Map<String, List<String>> byUser(List<Keyed> records, boolean sorted) {
        Map<String, List<String>> users = new TreeMap<>();
        for (Keyed r : records) {
            users.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.json());
        }
        if (sorted) {
            users.values().forEach(l -> l.sort(null));
        }
        return users;
    }

    private static Map<String, List<String>> sets(Map<String, Set<String>> tags) {
        Map<String, List<String>> lists = new TreeMap<>();
        tags.forEach((user, set) -> lists.put(user, List.copyOf(set)));
        return lists;
    }

    private static Map<String, List<String>> lastByUser(List<Keyed> records) {
        Map<String, List<String>> last = new TreeMap<>();
        records.forEach(r -> last.put(r.key(), List.of(r.json())));
        return last;
    }

    /** Null if equal; else how many users differ, and the first of them with both sequences. */
    private static String difference(Map<String, List<String>> a, Map<String, List<String>> b) {
        List<String> differ = differingUsers(a, b);
        if (differ.isEmpty()) {
            return null;
        }
        String u = differ.get(0);
        return differing(a, b) + ", e.g. " + u + ":\n  A: " + String.join("\n     ", a.getOrDefault(u, List.of()))
                + "\n  B: " + String.join("\n     ", b.getOrDefault(u, List.of()));
    }

    private static String differing(Map<String, List<String>> a, Map<String, List<String>> b) {
        Set<String> users = new TreeSet<>(a.keySet());
        users.addAll(b.keySet());
        return differingUsers(a, b).size() + " of " + users.size() + " users";
    }

    private static List<String> differingUsers(Map<String, List<String>> a, Map<String, List<String>> b) {
        Set<String> users = new TreeSet<>(a.keySet());
        users.addAll(b.keySet());
        return users.stream().filter(u -> !a.getOrDefault(u, List.of()).equals(b.getOrDefault(u, List.of()))).toList();
    }

    /** The values that come more than once. */
    private static List<String> repeated(List<String> values) {
        Set<String> seen = new HashSet<>();
        return values.stream().filter(v -> !seen.add(v)).toList();
    }

    private static List<String> triggerIds(List<Keyed> triggers) throws IOException {
        List<String> ids = new ArrayList<>();
        for (Keyed r : triggers) {
            ids.add(String.valueOf(JsonCodec.read(r.json(), Trigger.class).getTriggerId()));
        }
        return ids;
    }

    /** How many triggers of each type. */
    private static Map<String, Long> triggerTypes(List<Keyed> triggers) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        for (Keyed r : triggers) {
            counts.merge(JsonCodec.read(r.json(), Trigger.class).getType().toString(), 1L, Long::sum);
        }
        return counts;
    }
}
