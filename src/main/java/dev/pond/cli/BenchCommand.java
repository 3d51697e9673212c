package dev.pond.cli;

import dev.pond.bench.Bench;
import dev.pond.model.ModelLoader;
import org.apache.flink.configuration.MemorySize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code pond bench}: how fast Pond runs beside the limit its input imposes, on this machine. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Preloads an embedded Kafka with generator events and measures, over the same records: a plain",
            "consumer that decodes (A), a Flink job that decodes (B), the full job with RocksDB (C) and with heap",
            "state (D), C over a tenth of the users, and latency at half of C's rate. Writes bench.md and bench.json."
        })
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "2000000", description = "Events in the data set (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--users", defaultValue = "200000", description = "Customers they come from (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--parallelism", description = "Flink parallelism and consumer threads (default: the number of cores).")
    Integer parallelism;

    @Option(names = "--managed-memory", defaultValue = "128m", paramLabel = "SIZE",
            description = "Managed memory of the local task manager; RocksDB's cache lives in it (default: ${DEFAULT-VALUE}, "
                    + "Flink's local default).")
    String managedMemory;

    @Option(names = "--scale-factor", defaultValue = "10",
            description = "Also run the RocksDB job over the same shop with this many times fewer users and events, "
                    + "for what the number of users costs; 0 skips it (default: ${DEFAULT-VALUE}).")
    int scaleFactor;

    @Option(names = "--latency-rate", defaultValue = "0", paramLabel = "EVENTS_PER_S",
            description = "Input rate of the latency runs; 0 is half of what the RocksDB job reached (default).")
    double latencyRate;

    @Option(names = "--latency-warmup", defaultValue = "10s", paramLabel = "DURATION",
            description = "Warm-up of each latency run before timing (default: ${DEFAULT-VALUE}).")
    Duration latencyWarmup;

    @Option(names = "--latency-duration", defaultValue = "30s", paramLabel = "DURATION",
            description = "How long each latency run times outputs; 0s skips them (default: ${DEFAULT-VALUE}).")
    Duration latencyDuration;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION",
            description = "Checkpoint interval of the jobs (default: flink-conf/config.yaml's).")
    Duration checkpointInterval;

    @Option(names = "--timeout", defaultValue = "15m", paramLabel = "DURATION",
            description = "How long any one phase may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--phases", split = ",", paramLabel = "PHASE[,...]",
            description = "Run only these of warmup (C once, unmeasured, so that the JIT compiler has compiled it), A, B, K, C, retag (at the end of C: a re-tag of every stored user), unbundled (C without bundles), "
                    + "D, scale, latency, e.g. to profile one (default: all).")
    Set<String> phases;

    @Option(names = "--flink", paramLabel = "KEY=VALUE",
            description = "A Flink setting for every phase, over the shipped config.yaml (repeatable), e.g."
                    + " --flink state.backend.rocksdb.compression.per.level=SNAPPY_COMPRESSION: to measure a setting"
                    + " against the shipped one.")
    Map<String, String> flink;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file (default: the demo shop's).")
    Path model;

    @Option(names = "--out", defaultValue = "target/bench", paramLabel = "DIR",
            description = "Where bench.md and bench.json go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int p = parallelism == null ? cores : parallelism;
        require(events >= 1000, "--events must be at least 1000, got " + events);
        require(users >= 1, "--users must be at least 1, got " + users);
        require(p >= 1, "--parallelism must be at least 1, got " + p);
        require(scaleFactor >= 0, "--scale-factor must be 0 or more, got " + scaleFactor);
        require(latencyRate >= 0, "--latency-rate must be 0 or more, got " + latencyRate);
        require(!latencyWarmup.isNegative(), "--latency-warmup must not be negative, got " + latencyWarmup);
        require(!latencyDuration.isNegative(), "--latency-duration must not be negative, got " + latencyDuration);
        require(checkpointInterval == null || (!checkpointInterval.isNegative() && !checkpointInterval.isZero()),
                "--checkpoint-interval must be positive, got " + checkpointInterval);
        require(!timeout.isNegative() && !timeout.isZero(), "--timeout must be positive, got " + timeout);
        try {
            MemorySize.parse(managedMemory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--managed-memory is not a size: " + managedMemory);
        }
        String yaml = model == null ? ModelLoader.demoShopYaml() : ModelLoader.read(model);
        Bench bench = new Bench(new Bench.Settings(events, users, seed, p, managedMemory, scaleFactor, latencyRate,
                latencyWarmup, latencyDuration, timeout, out,
                phases == null ? Set.copyOf(Bench.Settings.ALL) : phases, checkpointInterval,
                flink == null ? Map.of() : flink),
                ModelLoader.fromYaml(yaml, model == null ? "the demo shop's model" : model.toString()), yaml,
                System.out);
        String report = bench.run();
        System.out.println();
        System.out.print(report);
        System.out.println("\nWritten to " + out.resolve("bench.md") + " and " + out.resolve("bench.json"));
        return 0;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
