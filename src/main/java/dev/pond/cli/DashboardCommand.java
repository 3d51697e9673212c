package dev.pond.cli;

import dev.pond.segments.DashboardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code pond dashboard}: the live segments, alerts and triggers as a web page. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description = {
            "Serves a web page with live charts of the segments, the sleeping-share alert and the",
            "triggers, from the output topics of any broker. Runs until stopped."
        })
public final class DashboardCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", required = true, description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--port", defaultValue = "8088", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "localhost",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        DashboardServer server = new DashboardServer(bootstrapServers, kafka.clientProperties(), kafka.topics(), host,
                port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "pond-dashboard-shutdown"));
        System.out.println("dashboard at http://" + host + ":" + server.port() + "/ ; stop it with Ctrl-C");
        stopped.await();
        return 0;
    }
}
