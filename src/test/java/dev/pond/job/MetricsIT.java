package dev.pond.job;

import dev.pond.demo.Generator;
import dev.pond.demo.KafkaEventSink;
import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.io.KafkaClients;
import dev.pond.io.KafkaSinks;
import dev.pond.io.KafkaSources;
import dev.pond.model.ModelLoader;
import dev.pond.testing.KafkaExtension;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pond's metrics as Prometheus scrapes them: the MiniCluster runs Flink's Prometheus reporter as
 * {@code flink-conf/config.yaml} configures it on a cluster, the live job scores generated events
 * plus three undecodable records, and the test reads the reporter's endpoint until the counters
 * show every event: events in by kind (exactly what was produced), dead letters (exactly three),
 * late events, triggers by type, triggers not sent and deferred by the contact policy, and the
 * segment sizes.
 */
class MetricsIT {

    private static final int PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .setConfiguration(prometheus())
                    .build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String OPERATOR = "flink_taskmanager_job_task_operator_";

    @Test
    void prometheusSeesEventsByKindDeadLettersTriggersAndSegmentSizes(@TempDir Path tmp) throws Exception {
        Topics topics = Topics.prefixed("metrics");
        KafkaClients.ensureTopics(KAFKA.clientConfig(), topics.all(), Set.of(topics.profiles()), 2, (short) 1);
        Map<String, Long> produced = new TreeMap<>();
        Instant start = Instant.parse("2026-04-01T00:00:00Z");
        Generator generator = new Generator(new Generator.Config(3, 200, start, start.plus(Duration.ofDays(10)),
                Duration.ofDays(5)));
        try (KafkaEventSink sink = new KafkaEventSink(KAFKA.bootstrapServers(), Map.of(), topics, 0, 3)) {
            while (generator.hasNext()) {
                SpecificRecord e = generator.next();
                sink.write(e);
                produced.merge(e instanceof ClickEvent ? "CLICK" : e instanceof ArticleRead ? "READ" : "ORDER", 1L,
                        Long::sum);
            }
        }
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", KAFKA.bootstrapServers());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topics.clicks(), ("bad" + i).getBytes(StandardCharsets.UTF_8),
                        new byte[] {1, 2, 3, (byte) i})).get();
            }
        }

        JobOptions options = JobOptions.defaults(KAFKA.bootstrapServers()).withTopics(topics)
                .withGroup("metrics", "metrics").withStart(JobOptions.StartFrom.EARLIEST, false);
        Configuration conf = FlinkConfig.local(tmp);
        conf.setString("execution.checkpointing.interval", "1 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        PondJob.defineWorkflow(env, new KafkaSources(options), new KafkaSinks(options), ModelLoader.defaults(),
                Long.MAX_VALUE);
        JobClient job = env.executeAsync("pond metrics");
        try {
            String page = awaitAllEventsCounted(job, produced);
            assertThat(sum(page, "deadLetters", null)).as("dead letters").isEqualTo(3);
            assertThat(page).containsPattern(OPERATOR + "lateEvents\\{");
            assertThat(sum(page, "triggerType_triggers", "triggerType=\"WELCOME\"")).as("WELCOME triggers")
                    .isPositive();
            assertThat(sum(page, "triggerType_triggers", "triggerType=\"CART_ABANDONED\"")).as("cart reminders")
                    .isPositive();
            assertThat(page).containsPattern(OPERATOR + "notSent_triggers\\{[^}]*notSent=\"")
                    .containsPattern(OPERATOR + "triggersDeferred\\{");
            assertThat(sum(page, "segment_members", "segment=\"lifecycle:prospect\"")).as("prospects").isPositive();
            assertThat(sum(page, "segment_members", "segment=\"lifecycle:new\"")).as("new customers").isPositive();
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Scrapes until the events-in counters of every kind equal what was produced, the three dead
     * letters are counted, welcomes and cart reminders went out and the segment gauges of
     * prospects and new customers are up; returns that page. (The assertions after it say which.)
     */
    private static String awaitAllEventsCounted(JobClient job, Map<String, Long> produced) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/metrics")).build();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Map<String, Long> counted = new TreeMap<>();
        while (true) {
            String page = "";
            try {
                page = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException notYet) {
                // the reporter starts with the task manager; the job may not be there yet
            }
            counted.clear();
            for (String kind : produced.keySet()) {
                counted.put(kind, sum(page, "eventKind_eventsIn", "eventKind=\"" + kind + "\""));
            }
            // Dead letters trail the events in their partitions, and reminders, released triggers and
            // segment counts follow the watermark, a little after the events: wait for all of them.
            if (counted.equals(produced) && sum(page, "deadLetters", null) == 3
                    && sum(page, "triggerType_triggers", "triggerType=\"WELCOME\"") > 0
                    && sum(page, "triggerType_triggers", "triggerType=\"CART_ABANDONED\"") > 0
                    && sum(page, "segment_members", "segment=\"lifecycle:prospect\"") > 0
                    && sum(page, "segment_members", "segment=\"lifecycle:new\"") > 0) {
                return page;
            }
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                job.getJobExecutionResult().get();
                throw new AssertionError("the job ended");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("events in by kind " + counted + ", produced " + produced + ", dead letters "
                        + sum(page, "deadLetters", null) + "; page:\n" + page.lines()
                        .filter(l -> l.contains("eventsIn") || l.contains("triggers{") || l.contains("segment_members"))
                        .limit(40).toList());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** The sum over all series of {@code OPERATOR + name} whose labels contain {@code label} (any if null). */
    private static long sum(String page, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + OPERATOR + name + "\\{([^}]*)\\} ([0-9.eE+-]+)$").matcher(page);
        double total = 0;
        while (m.find()) {
            if (label == null || m.group(1).contains(label)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return Math.round(total);
    }

    private static Configuration prometheus() {
        Configuration conf = new Configuration();
        conf.setString("metrics.reporters", "prom");
        conf.setString("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", String.valueOf(PORT));
        return conf;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("localhost", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
