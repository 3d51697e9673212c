package dev.pond.segments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pond.io.TopicReader;
import dev.pond.job.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The analysts' dashboard: a small HTTP server (the JDK's own) that follows {@code pond.segments},
 * {@code pond.alerts} and {@code pond.triggers} ({@code read_committed}, from the beginning) and
 * serves one page with live charts. The page takes a snapshot at {@code /snapshot} and then
 * updates from Server-Sent Events at {@code /events}, a new snapshot whenever records arrived
 * (at most twice a second). The chart library (uPlot, MIT) is bundled in the jar: nothing comes
 * from a CDN.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final String RESOURCES = "/dev/pond/dashboard/";
    private static final Map<String, String> STATIC = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "uPlot.min.css", "text/css; charset=utf-8");
    private static final long PUSH_MILLIS = 500;

    private final DashboardState state = new DashboardState();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer http;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pond-dashboard-http");
        t.setDaemon(true);
        return t;
    });
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread reader;
    private volatile boolean closed;

    /**
     * Starts following the topics and serving on {@code port} (0 for a free one) of {@code host}.
     */
    public DashboardServer(String bootstrap, Map<String, String> clientProperties, Topics topics, String host, int port)
            throws IOException {
        consumer = TopicReader.followFromStart(bootstrap, clientProperties,
                List.of(topics.segments(), topics.alerts(), topics.triggers()));
        reader = new Thread(() -> follow(topics), "pond-dashboard-kafka");
        reader.setDaemon(true);
        reader.start();
        http = HttpServer.create(new InetSocketAddress(host, port), 0);
        http.setExecutor(handlers);
        http.createContext("/", this::serveStatic);
        http.createContext("/snapshot", this::serveSnapshot);
        http.createContext("/events", this::serveEvents);
        http.start();
    }

    /** The port it serves on. */
    public int port() {
        return http.getAddress().getPort();
    }

    private void follow(Topics topics) {
        OutputView.Decoder decoder = new OutputView.Decoder(topics);
        try {
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        decoder.add(state, r);
                    } catch (IOException e) {
                        LOG.warn("skipping an undecodable record at {}-{}@{}", r.topic(), r.partition(), r.offset());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void serveStatic(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String name = path.equals("/") ? "index.html" : path.substring(1);
        String type = STATIC.get(name);
        try (InputStream in = type == null ? null : DashboardServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                send(x, 404, "text/plain; charset=utf-8", ("no " + path).getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(x, 200, type, in.readAllBytes());
        }
    }

    private void serveSnapshot(HttpExchange x) throws IOException {
        send(x, 200, "application/json", json.writeValueAsBytes(state.snapshot()));
    }

    /** Server-Sent Events: a snapshot at once, then a new one whenever records arrived. */
    private void serveEvents(HttpExchange x) throws IOException {
        x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        x.getResponseHeaders().set("Cache-Control", "no-cache");
        x.sendResponseHeaders(200, 0);
        long sent = -1;
        try (OutputStream out = x.getResponseBody()) {
            while (!closed) {
                long version = state.version();
                if (version != sent) {
                    out.write(("event: snapshot\ndata: " + json.writeValueAsString(state.snapshot()) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    sent = version;
                }
                TimeUnit.MILLISECONDS.sleep(PUSH_MILLIS);
            }
        } catch (IOException gone) {
            // the page was closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        http.stop(0);
        handlers.shutdownNow();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
