package dev.pond.cli;

import dev.pond.demo.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pond broker}: the demo's single-node Kafka on its own, until stopped. For trying Pond on a
 * real Flink cluster ({@code ops/cluster.sh}, {@code ops/chaos.sh}) where no Kafka runs; not for
 * production: one node, no replication, no security.
 */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a single-node Kafka broker (KRaft, plaintext) until stopped, for trying Pond on a",
            "Flink cluster without a Kafka of your own. Not for production."
        })
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dir", paramLabel = "DIR", required = true,
            description = "Where the broker keeps its logs; kept when it stops, so that it can start again.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 1 and 65535, got " + port);
        }
        if (Files.exists(dir.resolve("logs"))) {
            throw new IllegalArgumentException("--dir " + dir + " holds a broker already; remove it, or pick another");
        }
        Files.createDirectories(dir);
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, false);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "pond-broker-shutdown"));
        System.out.println("Kafka is up at " + kafka.bootstrapServers() + " (data in " + dir + "); stop it with Ctrl-C"
                + " or SIGTERM");
        stopped.await();
        return 0;
    }
}
