package dev.pond.segments;

import dev.pond.io.AvroCodec;
import dev.pond.io.KafkaClients;
import dev.pond.job.Topics;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerFacts;
import dev.pond.out.TriggerType;
import dev.pond.testing.KafkaExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real headless Chromium: records go into the output topics of a real broker,
 * the dashboard follows them, Chromium loads the page and runs its scripts, and the numbers it
 * rendered must be those of the topics: each segment's latest members, entered and exited, the
 * triggers by type, the sleeping share and its alert. Saves a screenshot to {@code
 * target/dashboard.png}. Skips with a message where no Chromium is installed ({@code .ci/run}
 * installs Debian's {@code chromium} when it is missing).
 */
class DashboardIT {

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final Instant T = Instant.parse("2026-05-01T10:01:00Z");

    @Test
    void theRenderedPageShowsWhatTheTopicsHold() throws Exception {
        Optional<Path> chromium = chromium();
        assumeTrue(chromium.isPresent(), "no chromium on the PATH (apt-get install chromium); skipped");
        Topics topics = Topics.prefixed("dash");
        KafkaClients.ensureTopics(KAFKA.clientConfig(), topics.outputs(), Set.of(), 2, (short) 1);
        produce(topics);

        try (DashboardServer server = new DashboardServer(KAFKA.bootstrapServers(), Map.of(), topics, "localhost", 0)) {
            String url = "http://localhost:" + server.port() + "/";
            awaitSnapshot(url, "\"segment\":\"interest:tea\"");

            // One snapshot over Server-Sent Events, then the page closes the stream and Chromium prints it.
            String dom = run(chromium.get(), "--dump-dom", url + "?frames=1");
            Map<String, String> members = cells(dom, "members");
            assertThat(members).isEqualTo(Map.of("lifecycle:active", "3", "lifecycle:sleeping", "2",
                    "interest:tea", "1,250"));
            assertThat(cells(dom, "entered")).containsEntry("lifecycle:active", "+0")
                    .containsEntry("lifecycle:sleeping", "+2");
            assertThat(cells(dom, "exited")).containsEntry("lifecycle:active", "-2");
            assertThat(dom).contains("data-type=\"WELCOME\">3<").contains("data-type=\"CART_ABANDONED\">1<")
                    .contains("40.0% - ALERT: above 30% since 2026-05-01T10:02:00.000Z")
                    .contains("<span id=\"asOf\">2026-05-01T10:02:00.000Z</span>")
                    .contains("<span id=\"status\">live</span>");

            Path shot = Path.of("target/dashboard.png").toAbsolutePath();
            Files.deleteIfExists(shot);
            run(chromium.get(), "--screenshot=" + shot, "--window-size=1240,820", url + "?frames=1");
            assertThat(shot).exists();
            assertThat(Files.size(shot)).isGreaterThan(10_000);
        }
    }

    private static void produce(Topics topics) throws Exception {
        Properties props = KafkaClients.config(KAFKA.bootstrapServers(), Map.of());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        AvroCodec<SegmentCount> counts = new AvroCodec<>(SegmentCount.class);
        AvroCodec<Trigger> triggers = new AvroCodec<>(Trigger.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            send(producer, topics.segments(), counts.encode(new SegmentCount("lifecycle:active", T, 5L, 5L, 0L)));
            send(producer, topics.segments(), counts.encode(new SegmentCount("lifecycle:active", T.plusSeconds(60), 3L, 0L, 2L)));
            send(producer, topics.segments(), counts.encode(new SegmentCount("lifecycle:sleeping", T.plusSeconds(60), 2L, 2L, 0L)));
            send(producer, topics.segments(), counts.encode(new SegmentCount("interest:tea", T, 1250L, 1250L, 0L)));
            send(producer, topics.alerts(), new AvroCodec<>(SegmentAlert.class)
                    .encode(new SegmentAlert("sleeping-share", T.plusSeconds(60), true, 0.4, 0.3, 2L, 5L)));
            for (int i = 0; i < 4; i++) {
                send(producer, topics.triggers(), triggers.encode(Trigger.newBuilder().setTriggerId("t" + i)
                        .setUserId("u" + i).setType(i < 3 ? TriggerType.WELCOME : TriggerType.CART_ABANDONED)
                        .setFiredAt(T.plusSeconds(3_600L * i)).setExpiresAt(T).setPriority(1).setReason("r")
                        .setFacts(TriggerFacts.newBuilder().build()).setModelVersion("m").build()));
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8), value)).get();
    }

    /** Polls /snapshot until it holds {@code expected}: the dashboard has read the topics. */
    private static void awaitSnapshot(String url, String expected) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String body = "";
        while (System.nanoTime() < deadline) {
            body = http.send(HttpRequest.newBuilder(URI.create(url + "snapshot")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            // The last record of each topic: the dashboard has read them all.
            if (body.contains(expected) && body.contains("\"alert\"") && body.contains("CART_ABANDONED")) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("the dashboard did not read the topics within 60 s: " + body);
    }

    /** The text of the cells of class {@code cls}, by their data-segment. */
    private static Map<String, String> cells(String dom, String cls) {
        Matcher m = Pattern.compile("<td class=\"" + cls + "\" data-segment=\"([^\"]+)\">([^<]*)</td>").matcher(dom);
        Map<String, String> cells = new TreeMap<>();
        while (m.find()) {
            cells.put(m.group(1), m.group(2));
        }
        return cells;
    }

    /** Headless Chromium on {@code url}, its scripts given 5 s of virtual time; returns what it printed. */
    private static String run(Path chromium, String what, String... more) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=5000", what));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium ended").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static Optional<Path> chromium() {
        String path = System.getenv("PATH");
        return Stream.of(path == null ? new String[0] : path.split(File.pathSeparator))
                .flatMap(d -> Stream.of("chromium", "chromium-browser", "google-chrome").map(n -> Path.of(d, n)))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
