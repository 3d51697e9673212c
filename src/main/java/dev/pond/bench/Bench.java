package dev.pond.bench;

import dev.pond.control.ModelUpdate;
import dev.pond.demo.EmbeddedKafka;
import dev.pond.job.JobOptions;
import dev.pond.model.Model;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.util.FileUtils;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code pond bench}: on one machine, in one run, how fast Pond goes beside the limit its input
 * imposes. An embedded broker is preloaded with seeded generator events; then, back to back over
 * the same records: (A) plain Kafka consumers that decode and discard, (B) a Flink job that does
 * the same, (K) a Flink job that keys those events by user and reads and writes one RocksDB value
 * per event (what one state access per event costs: the ceiling of a job that touches a user's
 * state for every event), (C) the full job with RocksDB, (D) the full job with heap state; then C over the same
 * shop with a tenth of the users and events (C-small), for what ten times the users cost; then the
 * latency from event to output at about half of C's rate, at least once and exactly once. At the
 * end of C, a re-tag of every stored user is timed. Writes
 * {@code bench.md} and {@code bench.json}.
 */
public final class Bench {

    /**
     * The bench's settings.
     *
     * @param events events in the data set
     * @param users customers they come from
     * @param seed generator seed
     * @param parallelism Flink parallelism, and consumer threads of phase A
     * @param managedMemory the task manager's managed memory (RocksDB lives in it)
     * @param scaleFactor also run C over a shop with this many times fewer users and events (0: skip), to
     *     see what the number of users (the size of the state) does to throughput
     * @param latencyRate input rate of the latency runs, events/s (0: half of C's)
     * @param latencyWarmup how long the latency runs warm up before timing
     * @param latencyMeasure how long they time (zero: skip them)
     * @param timeout how long any one phase may take
     * @param out where the report goes
     * @param phases which phases to run (warmup, A, B, K, C, retag, unbundled, D, scale, latency), for profiling one of them
     * @param checkpointInterval the jobs' checkpoint interval; null for config.yaml's
     */
    public record Settings(long events, int users, long seed, int parallelism, String managedMemory, int scaleFactor,
                           double latencyRate, Duration latencyWarmup, Duration latencyMeasure, Duration timeout,
                           Path out, Set<String> phases, Duration checkpointInterval, Map<String, String> flink) {

        /** Every phase, in the order they run. */
        public static final List<String> ALL = List.of("warmup", "A", "B", "K", "C", "retag", "unbundled", "D", "scale", "latency");

        public Settings {
            if (!ALL.containsAll(phases)) {
                throw new IllegalArgumentException("unknown phase in " + phases + "; the phases are " + ALL);
            }
            if (phases.contains("latency") && latencyRate <= 0 && !phases.contains("C")) {
                throw new IllegalArgumentException("the latency runs without phase C need a --latency-rate");
            }
            if (phases.contains("retag") && !phases.contains("C")) {
                throw new IllegalArgumentException("the re-tag runs at the end of phase C: add C to the phases");
            }
            flink = Map.copyOf(flink);
        }
    }

    /**
     * The phase that runs the Pond job first, unmeasured by the ratios: the JIT compiler's. On 2
     * cores it compiled for about a core through the whole of a first run of phase C (jstat
     * -compiler: a second of compiling per second), which a job that runs for days pays once; the
     * phases after it measure the code compiled.
     */
    static final String COLD = "C-cold";

    /** The phase that runs C without bundles: what bundles gain. */
    static final String UNBUNDLED = "C-unbundled";

    /** The phase that runs C over a shop with a tenth (the scale factor's share) of the users. */
    static final String SMALL = "C-small";

    private final Settings settings;
    private final Model model;
    private final String modelYaml;
    private final PrintStream out;

    /** @param modelYaml the model file that {@code model} was read from: what the re-tag publishes */
    public Bench(Settings settings, Model model, String modelYaml, PrintStream out) {
        this.settings = settings;
        this.model = model;
        this.modelYaml = modelYaml;
        this.out = out;
    }

    /** Runs every phase and writes the report; returns it as Markdown. */
    public String run() throws Exception {
        Path work = Files.createTempDirectory("pond-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, false)) {
            String bootstrap = kafka.bootstrapServers();
            int p = settings.parallelism();
            List<Throughput> phases = new ArrayList<>();
            List<LatencyRun.Result> latency = List.of();

            out.printf("Preloading %,d events of %,d users ...%n", settings.events(), settings.users());
            BenchData data = BenchData.preload(bootstrap, "bench.in", settings.events(), settings.users(),
                    settings.seed(), p);
            // Before any job runs: twice in CI, producing to new topics right after a cancelled job
            // saw batches expire after 120 s.
            BenchData small = runs("scale") && settings.scaleFactor() > 1 ? preloadSmall(bootstrap) : null;

            if (runs("warmup")) {
                phases.add(report(flink(phase(COLD, "C in a JVM that has not run it yet (the JIT compiler at work),"
                        + " before every other phase; not in the ratios", FlinkRun.Work.FULL, true, false),
                        bootstrap, data, work).throughput()));
            }
            if (runs("A")) {
                out.println("Phase A: Kafka consumers, decode + validate, discard ...");
                phases.add(report(DecodeLoop.run(bootstrap, data, p, settings.timeout())));
            }
            if (runs("B")) {
                phases.add(report(flink(phase("B", "Flink job: Kafka sources, decode + validate, discard",
                        FlinkRun.Work.DECODE, true, false), bootstrap, data, work).throughput()));
            }
            if (runs("K")) {
                phases.add(report(flink(phase("K", "Flink job: the same sources keyed by user, one RocksDB"
                        + " ValueState read and write per event, discard", FlinkRun.Work.CEILING, true, false),
                        bootstrap, data, work).throughput()));
            }
            FlinkRun.Result full = null;
            StateSizes state = null;
            if (runs("C")) {
                // With the version in force, so that only the re-tag's own cost shows.
                ModelUpdate retag = runs("retag") ? new ModelUpdate(model.version(), modelYaml, "pond bench",
                        "re-tag every stored user", Instant.now(), true) : null;
                full = flink(new FlinkRun.Phase("C", "Pond job, RocksDB state, exactly-once sinks", FlinkRun.Work.FULL,
                        true, settings.parallelism(), settings.managedMemory(), true, settings.checkpointInterval(),
                        retag, true, settings.flink()), bootstrap, data, work);
                phases.add(report(full.throughput()));
                if (full.retag() != null) {
                    FlinkRun.Retag r = full.retag();
                    out.printf("  re-tag: %,d users in %.1f s = %,.0f users/s; a subtask took no input for %,d ms%n",
                            r.users(), r.seconds(), r.usersPerSecond(), r.subtaskMillis());
                }
                out.println("Reading the state sizes from the savepoint ...");
                state = StateSizes.read(full.savepoint(), work);
            }
            if (runs("unbundled")) {
                FlinkRun.Phase c = phase(UNBUNDLED, "C with each event scored alone (no bundles)", FlinkRun.Work.FULL,
                        true, false);
                phases.add(report(flink(new FlinkRun.Phase(c.id(), c.what(), c.work(), c.rocksdb(), c.parallelism(),
                        c.managedMemory(), false, c.checkpointInterval(), null, false, c.flink()), bootstrap, data, work)
                        .throughput()));
            }
            if (runs("D")) {
                phases.add(report(flink(phase("D", "Pond job, heap state, exactly-once sinks",
                        FlinkRun.Work.FULL, false, false), bootstrap, data, work).throughput()));
            }

            if (small != null) {
                phases.add(report(flink(phase(SMALL, "Pond job, RocksDB state, 1/" + settings.scaleFactor()
                        + " of the users and events", FlinkRun.Work.FULL, true, false), bootstrap, small, work)
                        .throughput()));
            }

            if (runs("latency") && !settings.latencyMeasure().isZero()) {
                latency = latency(bootstrap, work, settings.latencyRate() > 0 ? settings.latencyRate()
                        : Math.floor(full.throughput().eventsPerSecond() / 2 / 100) * 100);
            }

            BenchReport report = new BenchReport(machine(), settingsMap(), phases, full == null ? null : full.retag(),
                    latency, state);
            report.write(settings.out());
            return report.markdown();
        } finally {
            FileUtils.deleteDirectory(work.toFile());
        }
    }

    /**
     * The data of C-small: the same shop at a tenth (the scale factor's share) of the size, as many
     * events per user over the same span of event time, so that only the number of users (and the
     * size of the state) differs from C's.
     */
    private BenchData preloadSmall(String bootstrap) throws InterruptedException {
        int f = settings.scaleFactor();
        long events = settings.events() / f;
        int users = Math.max(1, settings.users() / f);
        out.printf("Preloading %,d events of %,d users ...%n", events, users);
        return BenchData.preload(bootstrap, "bench.in-small", events, users, settings.seed(), settings.parallelism());
    }

    /** The latency runs at {@code rate} events/s, at least once and exactly once. */
    private List<LatencyRun.Result> latency(String bootstrap, Path work, double rate) throws Exception {
        List<LatencyRun.Result> results = new ArrayList<>();
        for (JobOptions.Delivery delivery : List.of(JobOptions.Delivery.AT_LEAST_ONCE, JobOptions.Delivery.EXACTLY_ONCE)) {
            String id = delivery == JobOptions.Delivery.AT_LEAST_ONCE ? "latency-alo" : "latency-eo";
            out.printf("Latency, %s, at %,.0f events/s ...%n", delivery, rate);
            LatencyRun.Result r = LatencyRun.run(delivery, bootstrap, settings.users(), settings.seed() + 1, rate,
                    settings.latencyWarmup(), settings.latencyMeasure(),
                    phase(id, "latency", FlinkRun.Work.FULL, true, false), model, work);
            out.printf("  p50 %d ms, p99 %d ms over %,d outputs%n", r.p50Millis(), r.p99Millis(), r.outputs());
            results.add(r);
        }
        return results;
    }

    private boolean runs(String phase) {
        return settings.phases().contains(phase);
    }

    private FlinkRun.Phase phase(String id, String what, FlinkRun.Work work, boolean rocksdb, boolean savepoint) {
        return new FlinkRun.Phase(id, what, work, rocksdb, settings.parallelism(), settings.managedMemory(), savepoint,
                settings.checkpointInterval(), null, true, settings.flink());
    }

    private FlinkRun.Result flink(FlinkRun.Phase phase, String bootstrap, BenchData data, Path work) throws Exception {
        out.printf("Phase %s: %s ...%n", phase.id(), phase.what());
        System.gc(); // start each phase from the same heap, not the previous phase's garbage
        return FlinkRun.run(phase, bootstrap, data, model, work, settings.timeout(), out);
    }

    private Throughput report(Throughput t) {
        out.printf("  %s: %,d events in %.1f s = %,.0f events/s (%,.0f per core)%n", t.id(), t.events(), t.seconds(),
                t.eventsPerSecond(), t.eventsPerSecondPerCore());
        return t;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        m.put("memoryBytes", memory);
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version"));
        m.put("flink", EnvironmentInformation.getVersion());
        return m;
    }

    private Map<String, Object> settingsMap() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("events", settings.events());
        s.put("users", settings.users());
        s.put("seed", settings.seed());
        s.put("parallelism", settings.parallelism());
        s.put("managedMemory", settings.managedMemory());
        s.put("scaleFactor", settings.scaleFactor());
        s.put("flink", new java.util.TreeMap<>(settings.flink()));
        s.put("checkpointInterval", settings.checkpointInterval() == null ? "config.yaml"
                : settings.checkpointInterval().toMillis() + " ms");
        s.put("latencyWarmupSeconds", settings.latencyWarmup().toSeconds());
        s.put("latencyMeasureSeconds", settings.latencyMeasure().toSeconds());
        s.put("modelVersion", model.version());
        return s;
    }
}
