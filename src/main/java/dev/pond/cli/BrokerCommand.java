package dev.pond.cli;

import dev.pond.demo.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
            description = "Where the broker keeps its logs; kept when it stops, so that it can start again on it, with "
                    + "what it held.")
    Path dir;

    @Option(names = "--message-max-bytes", paramLabel = "BYTES",
            description = "The largest record batch the broker accepts (Kafka's message.max.bytes; default: Kafka's, "
                    + "1048588).")
    Integer messageMaxBytes;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 1 and 65535, got " + port);
        }
        if (messageMaxBytes != null && messageMaxBytes < 1024) {
            throw new IllegalArgumentException("--message-max-bytes must be at least 1024, got " + messageMaxBytes);
        }
        if (Files.exists(dir.resolve("logs")) && !Files.exists(dir.resolve(EmbeddedKafka.SETTINGS))) {
            throw new IllegalArgumentException("--dir " + dir + " holds Kafka logs of another broker; pick another");
        }
        boolean again = Files.exists(dir.resolve(EmbeddedKafka.SETTINGS));
        Files.createDirectories(dir);
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, false, messageMaxBytes == null
                ? Map.of()
                : Map.of("message.max.bytes", messageMaxBytes.toString(),
                        "replica.fetch.max.bytes", messageMaxBytes.toString()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "pond-broker-shutdown"));
        System.out.println("Kafka is up at " + kafka.bootstrapServers() + " (data in " + dir
                + (again ? ", as it was left" : "") + "); stop it with Ctrl-C or SIGTERM");
        stopped.await();
        return 0;
    }
}
