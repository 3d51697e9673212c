package dev.pond.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pond.Pond;
import dev.pond.demo.Generator;
import dev.pond.demo.JsonLinesEventSink;
import dev.pond.demo.KafkaEventSink;
import dev.pond.io.AvroCodec;
import dev.pond.io.DeadLetters;
import dev.pond.io.KafkaClients;
import dev.pond.io.KafkaSinks;
import dev.pond.io.KafkaSources;
import dev.pond.io.TopicReader;
import dev.pond.model.ModelLoader;
import dev.pond.out.DeadLetter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ArchivedExecution;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.DefaultRecord;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live job through what a hostile producer and a failing broker do to it, with {@code pond
 * verify} against a failure-free replay at the end: no trigger lost, none twice.
 *
 * <p>The broker is {@code pond broker} of the built jar, a child process, so that it can be killed
 * with SIGKILL and started again on the directory it left, as ops would. Its {@code
 * message.max.bytes} is 2 MiB. While seeded shop traffic flows:
 * <ol>
 *   <li>each input topic gets a 1.5 MB record of random bytes and one of random bytes exactly at
 *       the broker's maximum (one byte more is refused by the broker, which the test checks): six
 *       dead letters, each with its size, its digest and its first 256 KiB, and no restart;
 *   <li>the broker is killed, the next part of the traffic is produced for 60 s (the producer
 *       waits), and the broker is started again on the same directory and port; once the job has
 *       caught up, the rest of the traffic follows.
 * </ol>
 * The job runs in a MiniCluster with the shipped settings, but a checkpoint every 2 s (so that the
 * dead letters are committed soon) and restarts backing off to at most 10 s, not a minute (so that
 * the recovery after the outage does not dominate the test's time).
 */
class BrokerFaultsIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final long SEED = 20;
    private static final int USERS = 300;
    private static final Instant START = Instant.parse("2026-04-01T00:00:00Z");
    private static final Duration SPAN = Duration.ofDays(8);
    /**
     * The shop's time runs about 500 times faster than the wall clock's here, so the out-of-orderness
     * bound is scaled likewise: 12 h instead of 5 min, and the events produced during the 60 s outage
     * span 6 h of event time. That is an outage shorter than the bound, the case in which a backlog
     * can make no event late (see Recover in docs/operations.md); with a real shop's clock, a 60 s outage
     * against the shipped 5 min.
     */
    private static final Duration OUT_OF_ORDERNESS = Duration.ofHours(12);
    private static final Duration BACKLOG = Duration.ofHours(6);
    /**
     * Shorter than the outage, so that every partition goes idle in it (the case above), and longer
     * than the job takes to catch up after it, so that none is idle when the rest of the traffic
     * comes: a partition that resumes a moment after the others would otherwise fall behind by
     * hours of this compressed time.
     */
    private static final Duration IDLENESS = Duration.ofSeconds(30);
    /** Triggers are compared up to here: the live watermark is awaited past it before the job stops. */
    private static final Instant UNTIL = START.plus(SPAN).minus(Duration.ofDays(1));
    private static final int BROKER_MAX = 2 * 1024 * 1024;
    private static final int BIG = 1_500_000;
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final Duration DEADLINE = Duration.ofMinutes(4);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void hugeRecordsAndABrokerOutageStopNothingAndLoseNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        // Kept after the test (the broker's directory too, which `pond broker --dir` opens again), to look into.
        Path tmp = Path.of("target/broker-faults").toAbsolutePath();
        FileUtils.deleteDirectory(tmp.toFile());
        Files.createDirectories(tmp);
        Path jar = Path.of("target/pond.jar").toAbsolutePath();
        assertThat(jar).as("the jar of this build (failsafe runs after package)").exists();
        Broker broker = Broker.start(jar, tmp.resolve("kafka"), freePort(), tmp.resolve("broker-1.log"));
        try {
            run(tmp, cluster, broker);
        } finally {
            // Every broker started, the one brought back after the outage too: none outlives the test.
            for (Broker b : Broker.STARTED) {
                b.kill();
            }
        }
    }

    private void run(Path tmp, MiniCluster cluster, Broker first) throws Exception {
        Broker broker = first;
        String bootstrap = broker.bootstrap();
        Topics topics = Topics.prefixed("faults");
        KafkaClients.ensureTopics(KafkaClients.config(bootstrap, Map.of()), topics.all(), Set.of(), 2, (short) 1,
                Map.of());

        List<SpecificRecord> events = events(tmp.resolve("events"));
        int head = events.size() * 2 / 5;
        Instant backlogEnd = ts(events.get(head)).plus(BACKLOG);
        int middle = head;
        while (ts(events.get(middle)).isBefore(backlogEnd)) {
            middle++;
        }

        JobOptions options = JobOptions.defaults(bootstrap)
                .withTopics(topics)
                .withGroup("faults", "faults")
                .withTime(OUT_OF_ORDERNESS, IDLENESS)
                .withStart(JobOptions.StartFrom.EARLIEST, false);
        Configuration conf = FlinkConfig.local(tmp.resolve("flink"));
        conf.setString("execution.checkpointing.interval", "2 s");
        conf.setString("execution.checkpointing.min-pause", "500 ms");
        conf.setString("restart-strategy.exponential-delay.max-backoff", "10 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        PondJob.defineWorkflow(env, new KafkaSources(options), new KafkaSinks(options), ModelLoader.defaults(),
                Long.MAX_VALUE);
        JobClient job = env.executeAsync("pond broker faults");
        JobID id = job.getJobID();
        long began = System.nanoTime();

        Map<String, String> producer = Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000");
        KafkaEventSink sink = new KafkaEventSink(bootstrap, producer, topics, 0, SEED);
        List<Hostile> hostile;
        String outage;
        try {
            for (SpecificRecord e : events.subList(0, head)) {
                sink.write(e);
            }
            sink.flush();

            // (a) Records of any size the broker accepts: one dead letter each, and the job goes on.
            hostile = produceHostile(bootstrap, topics, events.get(head - 1));
            List<DeadLetter> letters = awaitDeadLetters(bootstrap, topics.deadLetters(), hostile.size());
            assertDeadLetters(letters, hostile);
            assertThat(failures(cluster, id)).as("failed attempts after the hostile records").isEmpty();

            // (b) The broker killed while events flow; 60 s later started again on what it left.
            // The producer blocks while it has no metadata (it bootstraps again once every broker is
            // gone), so the broker comes back from another thread, as another machine's would.
            long killed = System.nanoTime();
            broker.kill();
            Broker down = broker;
            AtomicLong up = new AtomicLong();
            CompletableFuture<Broker> back = CompletableFuture.supplyAsync(() -> {
                parkUntil(killed + OUTAGE.toNanos());
                try {
                    Broker b = Broker.start(down.jar(), down.dir(), down.port(), tmp.resolve("broker-2.log"));
                    up.set(System.nanoTime());
                    return b;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            paced(sink, events.subList(head, middle), killed, OUTAGE);
            broker = back.get(2, TimeUnit.MINUTES);
            outage = String.format("%.1f s", (up.get() - killed) / 1e9);
            assertThat(broker.log()).as("the restarted broker's log").contains("as it was left");
            sink.flush();
            // The rest once the job has caught up: as fast as this test produces it, it is days of
            // the shop's time in a second, which no input that resumes a moment later could keep up with.
            awaitCaughtUp(bootstrap, topics);
            for (SpecificRecord e : events.subList(middle, events.size())) {
                sink.write(e);
            }
            sink.flush();
        } finally {
            sink.close();
        }
        awaitCaughtUp(bootstrap, topics);
        URI rest = cluster.getRestAddress().get();
        poll("the scoring operator's event time is past " + UNTIL, () -> watermark(rest, id) >= UNTIL.toEpochMilli());
        List<String> failures = failures(cluster, id);
        long late = scoringMetric(rest, id, "lateEvents").stream().mapToLong(v -> v).sum();
        String savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - began) / 1e9;

        Path replay = tmp.resolve("replay");
        Path files = tmp.resolve("events");
        assertThat(Pond.commandLine().execute("replay", "--out-of-orderness", OUT_OF_ORDERNESS.toString(), "--clicks", files.resolve("clicks.jsonl").toString(),
                "--reads", files.resolve("reads.jsonl").toString(), "--orders", files.resolve("orders.jsonl").toString(),
                "--out", replay.toString())).as("exit code of pond replay").isZero();
        String verify = captured(() -> Pond.commandLine().execute("verify", "--bootstrap-servers", bootstrap,
                "--replay", replay.toString(), "--until", UNTIL.toString(), "--triggers-topic", topics.triggers(),
                "--tags-topic", topics.tags(), "--profiles-topic", topics.profiles(), "--deadletter-topic",
                topics.deadLetters(), "--expect-dead-letters", Integer.toString(hostile.size())));
        System.out.println(verify);
        System.out.printf("%d events, %d hostile records (%s bytes) and the broker killed for %s: %d failed attempts"
                        + " of tasks (%s), %d late events since the last restart, savepoint %s, %.0f s in all%n",
                events.size(), hostile.size(),
                hostile.stream().map(h -> Integer.toString(h.value().length)).toList(), outage, failures.size(),
                failures.stream().map(f -> f.lines().findFirst().orElse("")).distinct().toList(), late, savepoint, seconds);
        assertThat(verify).as("what pond verify said").contains("verify: OK")
                .containsPattern("up to \\S+: (\\d+) committed, \\1 in the replay, 0 missing, 0 extra");
        assertThat(verify.replaceAll("(?s).*up to \\S+: (\\d+) committed.*", "$1")).as("triggers compared")
                .satisfies(n -> assertThat(Integer.parseInt(n.strip())).isGreaterThan(100));
        // Nothing else went to the dead letters (verify checked the count): the shop's events were all scored.
        assertThat(verify).contains("dead letters: " + hostile.size() + " committed");
    }

    private static void awaitCaughtUp(String bootstrap, Topics topics) {
        try (Admin admin = Admin.create(KafkaClients.config(bootstrap, Map.of()))) {
            poll("the job has read and checkpointed every input record", () -> {
                try {
                    return KafkaClients.lag(admin, "faults", topics.inputs()).values().stream().allMatch(l -> l == 0);
                } catch (InterruptedException | ExecutionException e) {
                    return false; // the group coordinator is still loading after the restart
                }
            });
        }
    }

    private static Instant ts(SpecificRecord event) {
        return (Instant) event.get(event.getSchema().getField("ts").pos());
    }

    /** The seeded shop's events, in event-time order, also written as files for the replay. */
    private static List<SpecificRecord> events(Path dir) throws IOException {
        Generator generator = new Generator(new Generator.Config(SEED, USERS, START, START.plus(SPAN), SPAN.dividedBy(3)));
        List<SpecificRecord> events = new ArrayList<>();
        try (JsonLinesEventSink files = new JsonLinesEventSink(dir)) {
            while (generator.hasNext()) {
                SpecificRecord e = generator.next();
                files.write(e);
                events.add(e);
            }
        }
        return events;
    }

    /** A record the job must refuse: where it went and what it was. */
    private record Hostile(String topic, byte[] key, byte[] value) {}

    /**
     * On each input topic one record of {@value #BIG} random bytes and one exactly as large as the
     * broker takes, timestamped like the last event produced. Uncompressed, so that the size on the
     * broker is the size sent; that it is the maximum is checked by one byte more being refused.
     */
    private static List<Hostile> produceHostile(String bootstrap, Topics topics, SpecificRecord last)
            throws Exception {
        long ts = ts(last).toEpochMilli();
        SplittableRandom random = new SplittableRandom(SEED);
        Properties props = KafkaClients.config(bootstrap, Map.of());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * BROKER_MAX));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(16 * BROKER_MAX));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.RETRIES_CONFIG, "0");
        List<Hostile> hostile = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            byte[] key = "hostile-at-max".getBytes(StandardCharsets.UTF_8);
            byte[] tooBig = bytes(random, maxValue(key) + 1);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topics.clicks(), null, ts, key, tooBig)).get())
                    .as("one byte over the broker's maximum").hasCauseInstanceOf(RecordTooLargeException.class);
            for (String topic : topics.inputs()) {
                hostile.add(new Hostile(topic, ("hostile-1.5MB-" + topic).getBytes(StandardCharsets.UTF_8),
                        bytes(random, BIG)));
                hostile.add(new Hostile(topic, key, bytes(random, maxValue(key))));
            }
            for (Hostile h : hostile) {
                producer.send(new ProducerRecord<>(h.topic(), null, ts, h.key(), h.value())).get();
            }
        }
        return hostile;
    }

    /** The largest value with this key whose record batch (alone, uncompressed) the broker accepts. */
    private static int maxValue(byte[] key) {
        int value = BROKER_MAX - DefaultRecordBatch.RECORD_BATCH_OVERHEAD - key.length;
        while (DefaultRecordBatch.RECORD_BATCH_OVERHEAD
                + DefaultRecord.sizeInBytes(0, 0, key.length, value, new Header[0]) > BROKER_MAX) {
            value--;
        }
        return value;
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static List<DeadLetter> awaitDeadLetters(String bootstrap, String topic, int n) {
        AvroCodec<DeadLetter> codec = new AvroCodec<>(DeadLetter.class);
        List<DeadLetter> letters = new ArrayList<>();
        poll(n + " dead letters committed", () -> {
            letters.clear();
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.read(bootstrap, topic, true, Duration.ofSeconds(30))) {
                try {
                    letters.add(codec.decode(r.value()));
                } catch (IOException e) {
                    throw new AssertionError("a dead letter that does not decode as DeadLetter", e);
                }
            }
            return letters.size() >= n;
        });
        return letters;
    }

    /** One dead letter per hostile record, each with its full size, its digest and its first bytes. */
    private static void assertDeadLetters(List<DeadLetter> letters, List<Hostile> hostile) throws Exception {
        assertThat(letters).as("dead letters").hasSize(hostile.size());
        Map<String, DeadLetter> bySha = new TreeMap<>();
        letters.forEach(l -> bySha.put(l.getRawSha256(), l));
        for (Hostile h : hostile) {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(h.value()));
            DeadLetter l = bySha.get(sha);
            assertThat(l).as("the dead letter of the %d-byte record on %s", h.value().length, h.topic()).isNotNull();
            assertThat(l.getSourceTopic()).isEqualTo(h.topic());
            assertThat(l.getRawSize()).isEqualTo(h.value().length);
            byte[] raw = new byte[l.getRaw().remaining()];
            l.getRaw().duplicate().get(raw);
            assertThat(raw).as("its raw bytes").isEqualTo(Arrays.copyOf(h.value(), DeadLetters.DEFAULT_MAX_RAW_BYTES));
            byte[] key = new byte[l.getKey().remaining()];
            l.getKey().duplicate().get(key);
            assertThat(key).as("its key").isEqualTo(h.key());
            assertThat(l.getError()).as("its reason").startsWith("undecodable")
                    .contains("value cut to its first " + DeadLetters.DEFAULT_MAX_RAW_BYTES + " of " + h.value().length
                            + " bytes")
                    .doesNotContainPattern("[\\x00-\\x1f]");
        }
    }

    /** Writes events spread evenly over {@code span} from {@code from} (System.nanoTime), like a shop's traffic. */
    private static void paced(KafkaEventSink sink, List<SpecificRecord> events, long from, Duration span) {
        for (int i = 0; i < events.size(); i++) {
            parkUntil(from + span.toNanos() * i / events.size());
            sink.write(events.get(i));
        }
    }

    private static void parkUntil(long nanoTime) {
        for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    /** The lowest event time (output watermark) of the scoring operator's subtasks, from the REST API. */
    private long watermark(URI rest, JobID id) {
        return scoringMetric(rest, id, "currentOutputWatermark").stream().mapToLong(v -> v).min().orElse(Long.MIN_VALUE);
    }

    /** A metric of the scoring operator, one value per subtask that reports it (none while the job restarts). */
    private List<Long> scoringMetric(URI rest, JobID id, String name) {
        try {
            JsonNode job = get(rest, "/jobs/" + id);
            String vertex = null;
            for (JsonNode v : job.get("vertices")) {
                if (v.get("name").asText().contains("User scoring")) {
                    vertex = v.get("id").asText();
                }
            }
            assertThat(vertex).as("the scoring vertex of the job").isNotNull();
            String metrics = "/jobs/" + id + "/vertices/" + vertex + "/metrics";
            List<String> wanted = new ArrayList<>();
            for (JsonNode m : get(rest, metrics)) {
                if (m.get("id").asText().endsWith(".User_scoring." + name)) {
                    wanted.add(m.get("id").asText());
                }
            }
            List<Long> values = new ArrayList<>();
            if (!wanted.isEmpty()) {
                for (JsonNode m : get(rest, metrics + "?get=" + URLEncoder.encode(String.join(",", wanted),
                        StandardCharsets.UTF_8))) {
                    values.add((long) Double.parseDouble(m.get("value").asText()));
                }
            }
            return values;
        } catch (IOException e) {
            return List.of(); // the job is restarting; ask again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode get(URI rest, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(rest.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + r.statusCode());
        }
        return json.readTree(r.body());
    }

    /** The errors of every failed attempt of every task so far. */
    private static List<String> failures(MiniCluster cluster, JobID id) throws Exception {
        AccessExecutionGraph graph = cluster.getExecutionGraph(id).get(30, TimeUnit.SECONDS);
        List<String> errors = new ArrayList<>();
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            for (ArchivedExecution e : v.getExecutionHistory().getHistoricalExecutions()) {
                e.getFailureInfo().ifPresent(f -> errors.add(f.getExceptionAsString()));
            }
        }
        return errors;
    }

    private static void poll(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within %s: %s", DEADLINE, what).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
    }

    /** What a command printed to System.out (it takes the stream when it is made). */
    private static String captured(Runnable command) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            command.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("localhost", 0));
            return s.getLocalPort();
        }
    }

    /** {@code pond broker} of the built jar as a child process. */
    private record Broker(Path jar, Path dir, int port, Path logFile, Process process) {

        /** Every broker this test started, to kill at its end. */
        static final Queue<Broker> STARTED = new ConcurrentLinkedQueue<>();

        static Broker start(Path jar, Path dir, int port, Path log) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx1g", "-jar", jar.toString(), "broker", "--port",
                    Integer.toString(port), "--dir", dir.toString(), "--message-max-bytes", Integer.toString(BROKER_MAX))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Broker b = new Broker(jar, dir, port, log, p);
            STARTED.add(b);
            poll("pond broker says Kafka is up", () -> {
                assertThat(p.isAlive()).as("pond broker runs; it said:%n%s", b.log()).isTrue();
                return b.log().contains("Kafka is up");
            });
            return b;
        }

        String bootstrap() {
            return "localhost:" + port;
        }

        String log() {
            try {
                return Files.readString(logFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        /** SIGKILL, as a crashed machine or an OOM killer would: no clean shutdown. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
