package dev.pond.demo;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka (broker and KRaft controller in one) running in this JVM: Kafka's own server
 * from Maven Central, formatted and started the way {@code kafka-storage format} and {@code
 * kafka-server-start} would. For the demo and the integration tests; not for production.
 *
 * <p>A directory it formatted can start it again, with what it held: the first start writes its
 * controller port to {@value #SETTINGS} there, and a later start on that directory takes the same
 * port and does not format again (a KRaft node's quorum is where its controller listens).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final Path dir;
    private final boolean ownsDir;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, Path dir, boolean ownsDir, String bootstrapServers) {
        this.server = server;
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker on a free port with its data in a new temporary directory, deleted on close. */
    public static EmbeddedKafka start() throws Exception {
        return start(Files.createTempDirectory("pond-kafka"), 0, true);
    }

    /** The file in a broker's directory that says it is one of ours, and where its controller listens. */
    public static final String SETTINGS = "pond-broker.properties";
    private static final String CONTROLLER_PORT = "controller.port";

    /** As {@link #start(Path, int, boolean, Map)} with Kafka's defaults. */
    public static EmbeddedKafka start(Path dir, int port, boolean ownsDir) throws Exception {
        return start(dir, port, ownsDir, Map.of());
    }

    /**
     * Starts a broker: on a new directory, formatted first; on one it ran on before, on what it left.
     *
     * @param dir where the logs go
     * @param port client port, or 0 for a free one
     * @param ownsDir whether {@link #close()} deletes {@code dir}
     * @param overrides broker settings over the ones here (e.g. {@code message.max.bytes})
     * @throws IllegalArgumentException if {@code dir} holds Kafka logs that are not an embedded broker's
     */
    public static EmbeddedKafka start(Path dir, int port, boolean ownsDir, Map<String, String> overrides)
            throws Exception {
        int clientPort = port == 0 ? freePort() : port;
        Path logs = dir.resolve("logs");
        Path settings = dir.resolve(SETTINGS);
        boolean formatted = Files.exists(settings);
        if (!formatted && Files.exists(logs)) {
            throw new IllegalArgumentException(dir + " holds Kafka logs without " + SETTINGS
                    + ": not a directory of this broker; pick another");
        }
        int controllerPort = formatted ? controllerPort(settings) : freePort();
        Files.createDirectories(logs);

        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logs.toString());
        p.put("num.partitions", "2");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The demo and the tests write simulated history whose record timestamps (event time)
        // are weeks or months old: with the default 7-day retention the broker would delete it
        // at its first retention check, 30 s after start, before or after the job has read it.
        p.put("log.retention.ms", "-1");
        p.putAll(overrides);
        KafkaConfig config = KafkaConfig.fromProps(p, false);

        if (!formatted) {
            format(config, logs);
            Properties s = new Properties();
            s.setProperty(CONTROLLER_PORT, Integer.toString(controllerPort));
            try (var out = Files.newBufferedWriter(settings)) {
                s.store(out, "pond broker: start it again on this directory with the same controller port");
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(server, dir, ownsDir, "localhost:" + clientPort);
        kafka.awaitReady(Duration.ofSeconds(60));
        return kafka;
    }

    private static int controllerPort(Path settings) throws IOException {
        Properties s = new Properties();
        try (var in = Files.newBufferedReader(settings)) {
            s.load(in);
        }
        String port = s.getProperty(CONTROLLER_PORT);
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(settings + " has no valid " + CONTROLLER_PORT + ": " + port);
        }
    }

    private static void format(KafkaConfig config, Path logs) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(config.metadataLogDir())
                .addDirectory(logs.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setHasDynamicQuorum(false)
                .run();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Client settings for this broker. */
    public Properties clientConfig() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka did not become ready at " + bootstrapServers, e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka did not become ready at " + bootstrapServers);
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (ownsDir) {
            try {
                Utils.delete(dir.toFile());
            } catch (IOException ignored) {
                // a temporary directory; the OS cleans up what is left
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("localhost", 0));
            return s.getLocalPort();
        }
    }
}
