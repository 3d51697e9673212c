package dev.pond.cli;

import dev.pond.demo.DemoRunner;
import dev.pond.model.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code pond demo}: everything on one machine, no setup beyond the build. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Starts an embedded Kafka broker, plays a simulated shop's history and then live traffic",
            "into it, runs Pond on a local Flink with RocksDB and shows segments and triggers live."
        })
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--users", defaultValue = "2000", description = "Simulated customers (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--history", defaultValue = "120d", paramLabel = "DURATION",
            description = "History played before going live (default: ${DEFAULT-VALUE}).")
    Duration history;

    @Option(names = "--speed", defaultValue = "1d", paramLabel = "DURATION",
            description = "Simulated time per real second while playing history (default: ${DEFAULT-VALUE}).")
    Duration speed;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--kafka-port", defaultValue = "0",
            description = "Port of the embedded broker, e.g. 9092 to reach it from other tools (default: any free port).")
    int kafkaPort;

    @Option(names = "--checkpoint-interval", defaultValue = "2s", paramLabel = "DURATION",
            description = "How often outputs are committed and become visible (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(names = "--garbage-rate", defaultValue = "0.001",
            description = "Share of extra undecodable input records, to show dead letters (default: ${DEFAULT-VALUE}).")
    double garbageRate;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file (YAML) over the defaults. Default: the"
            + " defaults with the demo shop's fitted categories (for replenishment and cross-sell).")
    Path model;

    @Option(names = "--dashboard-port", defaultValue = "8088",
            description = "Port of the web dashboard (default: ${DEFAULT-VALUE}; 0 for a free one, -1 for none).")
    int dashboardPort;

    @Override
    public Integer call() throws Exception {
        if (users < 1) {
            throw new IllegalArgumentException("--users must be at least 1, got " + users);
        }
        if (speed.isZero() || speed.isNegative()) {
            throw new IllegalArgumentException("--speed must be positive, got " + speed);
        }
        if (kafkaPort < 0 || kafkaPort > 65535) {
            throw new IllegalArgumentException("--kafka-port must be a port number, got " + kafkaPort);
        }
        if (dashboardPort < -1 || dashboardPort > 65535) {
            throw new IllegalArgumentException("--dashboard-port must be a port number or -1, got " + dashboardPort);
        }
        DemoRunner demo = new DemoRunner(new DemoRunner.Settings(users, seed, history, speed.toMillis() / 1000.0,
                duration, kafkaPort, checkpointInterval, garbageRate, dashboardPort), model == null ? ModelLoader.demoShop() : ModelLoader.load(model), System.out);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            demo.stop();
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pond-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            demo.run();
        } finally {
            finished.countDown();
        }
        return 0;
    }
}
