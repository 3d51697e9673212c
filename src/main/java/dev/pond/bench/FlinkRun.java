package dev.pond.bench;

import dev.pond.control.ModelUpdate;
import dev.pond.control.ModelUpdatePublisher;
import dev.pond.core.UserScorer;
import dev.pond.io.Inbound;
import dev.pond.io.KafkaClients;
import dev.pond.io.KafkaSinks;
import dev.pond.io.KafkaSources;
import dev.pond.job.FlinkConfig;
import dev.pond.job.JobOptions;
import dev.pond.job.PondJob;
import dev.pond.job.Topics;
import dev.pond.model.Model;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Phases B, K, C and D: a Flink job on a local cluster of this JVM, started on topics that already
 * hold the data, timed by the job's own counters from the end of a warm-up (the first {@link
 * #WARM_UP} of the events: on two cores the JIT compiler takes a third of the CPU while a job is
 * young) to the last event.
 */
final class FlinkRun {

    /** What the job does with the events. */
    enum Work {
        /** Phase B: the job's sources (decode, validate, watermarks), then a sink that drops everything. */
        DECODE,
        /** Phase K: the same sources keyed by user, one state read and write per event ({@link StateCeiling}). */
        CEILING,
        /** Phases C and D: the whole Pond job, exactly-once Kafka sinks included. */
        FULL
    }

    /**
     * How to run one phase.
     *
     * @param id the phase's short name, also its job name and topic prefix
     * @param what what it measures, for the report
     * @param work what the job does
     * @param rocksdb RocksDB (as in production) or heap state
     * @param parallelism the job's parallelism
     * @param managedMemory the task manager's managed memory (RocksDB's block cache and write buffers live in it)
     * @param savepoint stop with a savepoint at the end (to read the state) instead of cancelling
     * @param checkpointInterval the checkpoint interval; null for config.yaml's
     * @param retag after the events, publish this update (which asks for a re-tag) and time the
     *     re-tag of every stored user; null for none
     * @param bundles whether the scoring operator scores events in bundles (the shipped setting) or
     *     one at a time
     * @param flink Flink settings put over the shipped ones (the bench's {@code --flink}), last
     */
    record Phase(String id, String what, Work work, boolean rocksdb, int parallelism, String managedMemory,
                 boolean savepoint, Duration checkpointInterval, ModelUpdate retag, boolean bundles,
                 Map<String, String> flink) {}

    /** What a phase measured, its re-tag (or null) and the savepoint it left (or null). */
    record Result(Throughput throughput, Retag retag, String savepoint) {}

    /**
     * A re-tag of every stored user, once the events are in.
     *
     * @param users the users re-scored, over all subtasks
     * @param seconds from publishing the update until every subtask had re-tagged
     * @param subtaskMillis the longest any one subtask spent re-tagging: the time it took no input
     */
    record Retag(long users, double seconds, long subtaskMillis) {
        double usersPerSecond() {
            return users / seconds;
        }
    }

    /** How often a running phase says how far it got (the rate over time shows warm-up and compaction). */
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Looks at the counter (every {@link DecodeLoop#POLL_NANOS}) per look at the job's status, memory and checkpoints. */
    private static final int SAMPLE_EVERY = 10;

    /** The share of a data set processed before the clock starts: the JIT compiles the job meanwhile. */
    static final double WARM_UP = 0.2;

    /** How many events a phase processes before it is timed. */
    static long warmUp(long events) {
        return Math.max(1, (long) (events * WARM_UP));
    }

    private FlinkRun() {}

    static Result run(Phase phase, String bootstrap, BenchData data, Model model, Path work, Duration timeout,
                      PrintStream progress) throws Exception {
        String job = "bench " + phase.id();
        Topics topics = data.outputsFor(phase.id());
        JobOptions options = JobOptions.defaults(bootstrap).withTopics(topics)
                .withGroup("bench-" + phase.id(), "bench-" + phase.id());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                configuration(phase, work.resolve("flink-" + phase.id())));
        String counter;
        if (phase.work() == Work.DECODE) {
            new KafkaSources(options).inbound(env).sinkTo(new CountingDiscard<>()).uid("bench-discard").name("Discard");
            counter = CountingDiscard.COUNTER;
        } else if (phase.work() == Work.CEILING) {
            new KafkaSources(options).inbound(env)
                    .filter(in -> !in.isDeadLetter()).uid("bench-events-only").name("Events only")
                    .keyBy(Inbound::userId, Types.STRING)
                    .process(new StateCeiling(), Types.VOID).uid("bench-ceiling").name("State ceiling")
                    .sinkTo(new CountingDiscard<>()).uid("bench-discard").name("Discard");
            counter = StateCeiling.COUNTER;
        } else {
            // The outputs, and the control topic a live job reads model updates from.
            List<String> written = new ArrayList<>(topics.outputs());
            written.add(topics.control());
            KafkaClients.ensureTopics(KafkaClients.config(bootstrap, Map.of()), written,
                    Set.of(topics.profiles()), phase.parallelism(), (short) 1);
            PondJob.defineWorkflow(env, new KafkaSources(options), new KafkaSinks(options), model, Long.MAX_VALUE);
            counter = "eventsIn"; // the scoring operator's own count of the events it processed
        }
        JobClient client = env.executeAsync(job);
        MemoryPeak memory = new MemoryPeak();
        CheckpointWatch checkpoints = new CheckpointWatch(job);
        long deadline = System.nanoTime() + timeout.toNanos();
        long firstCount = 0;
        long firstNanos = 0;
        long firstCpu = 0;
        long firstJit = 0;
        long lastReport = System.nanoTime();
        long lastCount = 0;
        long count;
        long looks = 0;
        while ((count = BenchMetrics.counter(job, counter)) < data.events()) {
            long now = System.nanoTime();
            if (count >= warmUp(data.events()) && firstNanos == 0) {
                firstNanos = now;
                firstCount = count;
                firstCpu = MemoryPeak.processCpuNanos();
                firstJit = MemoryPeak.compileMillis();
            }
            if (now - lastReport >= PROGRESS_NANOS) {
                progress.printf("    %,d events, %,.0f/s in the last %d s%n", count,
                        (count - lastCount) * 1e9 / (now - lastReport), TimeUnit.NANOSECONDS.toSeconds(now - lastReport));
                lastReport = now;
                lastCount = count;
            }
            if (now > deadline) {
                client.cancel();
                throw new IllegalStateException("phase " + phase.id() + " processed " + count + " of "
                        + data.events() + " events before its deadline");
            }
            // The job's status, memory and checkpoints every tenth look only (200 ms): each is a
            // call into the cluster or the OS, whose CPU the phase would count as its own.
            if (++looks % SAMPLE_EVERY == 0) {
                if (client.getJobStatus().get().isGloballyTerminalState()) {
                    client.getJobExecutionResult().get(); // throws the job's failure
                    throw new IllegalStateException("phase " + phase.id() + " ended after " + count + " events");
                }
                memory.sample();
                checkpoints.sample();
            }
            LockSupport.parkNanos(DecodeLoop.POLL_NANOS);
        }
        long end = System.nanoTime();
        long cpu = MemoryPeak.processCpuNanos() - firstCpu;
        long jit = MemoryPeak.compileMillis() - firstJit;
        long processed = BenchMetrics.counter(job, counter);
        if (firstNanos == 0) {
            throw new IllegalStateException("phase " + phase.id() + " did all its work between two looks: "
                    + "too little data to time");
        }
        memory.sample();
        checkpoints.sample();
        Throughput.Work done = null;
        if (phase.work() == Work.FULL) {
            double n = BenchMetrics.counter(job, "eventsIn");
            Map<String, Double> byKind = new LinkedHashMap<>();
            for (UserScorer.TimerKind kind : UserScorer.TimerKind.values()) {
                byKind.put(kind.name(), BenchMetrics.counter(job, "timersFired", "timerKind", kind.name()) / n);
            }
            done = new Throughput.Work(BenchMetrics.counter(job, "timersFired") / n, byKind,
                    BenchMetrics.counter(job, "timersSet") / n, BenchMetrics.counter(job, "timersDeleted") / n,
                    BenchMetrics.counter(job, "profiles") / n, BenchMetrics.counter(job, "tagChanges") / n,
                    BenchMetrics.counter(job, "triggers") / n, BenchMetrics.counter(job, "stateReads") / n);
        }
        Retag retag = phase.retag() == null ? null
                : retag(job, phase.retag(), topics.control(), bootstrap, phase.parallelism(), client, deadline);
        String savepoint = null;
        if (phase.savepoint()) {
            savepoint = client.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            client.cancel().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        awaitEnd(client, deadline);
        double seconds = (end - firstNanos) / 1e9;
        Throughput t = new Throughput(phase.id(), phase.what(), data.events() - firstCount, seconds,
                Math.min(phase.parallelism(), Runtime.getRuntime().availableProcessors()), memory.heapBytes(),
                memory.rssBytes(), checkpoints.stats(), done, cpu / 1e9, jit / 1e3, processed);
        return new Result(t, retag, savepoint);
    }

    /**
     * Publishes {@code update} to the job's control topic and waits until each of the {@code
     * parallelism} scoring subtasks has re-tagged every user it stores.
     */
    private static Retag retag(String job, ModelUpdate update, String topic, String bootstrap, int parallelism,
                               JobClient client, long deadline) throws Exception {
        long before = BenchMetrics.counter(job, "retags");
        long start = System.nanoTime();
        ModelUpdatePublisher.publish(KafkaClients.config(bootstrap, Map.of()), topic, update);
        while (BenchMetrics.counter(job, "retags") < before + parallelism) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the re-tag under model " + update.getVersion() + " ended in "
                        + (BenchMetrics.counter(job, "retags") - before) + " of " + parallelism
                        + " subtasks before the deadline (rejected? see the dead letters)");
            }
            if (client.getJobStatus().get().isGloballyTerminalState()) {
                client.getJobExecutionResult().get(); // throws the job's failure
                throw new IllegalStateException("the job ended during the re-tag");
            }
            LockSupport.parkNanos(DecodeLoop.POLL_NANOS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Retag(BenchMetrics.counter(job, "usersRetagged"), seconds, BenchMetrics.max(job, "retagMillis"));
    }

    /**
     * The shipped cluster settings, with this phase's state backend, parallelism and local
     * directories, and then the settings given on the command line.
     */
    static Configuration configuration(Phase phase, Path dir) {
        Configuration conf = FlinkConfig.local(dir);
        BenchMetrics.configure(conf);
        conf.setString("parallelism.default", Integer.toString(phase.parallelism()));
        conf.setString("taskmanager.numberOfTaskSlots", Integer.toString(phase.parallelism()));
        conf.setString("taskmanager.memory.managed.size", phase.managedMemory());
        if (!phase.rocksdb()) {
            conf.setString("state.backend.type", "hashmap");
        }
        if (!phase.bundles()) {
            conf.set(PondJob.BUNDLE_SIZE, 0);
        }
        if (phase.checkpointInterval() != null) {
            conf.setString("execution.checkpointing.interval", phase.checkpointInterval().toMillis() + " ms");
        }
        phase.flink().forEach(conf::setString);
        return conf;
    }

    private static void awaitEnd(JobClient client, long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            JobStatus status;
            try {
                status = client.getJobStatus().get();
            } catch (Exception gone) {
                return; // the local cluster has shut down with the job
            }
            if (status.isGloballyTerminalState()) {
                return;
            }
            LockSupport.parkNanos(DecodeLoop.POLL_NANOS);
        }
    }

    /** Collects the duration of every checkpoint that completes while the phase runs. */
    static final class CheckpointWatch {
        private final String job;
        private long completed;
        private long totalMillis;
        private long maxMillis;
        private long size;
        private long fullSize;

        CheckpointWatch(String job) {
            this.job = job;
        }

        void sample() {
            OptionalLong n = BenchMetrics.gauge(job, "numberOfCompletedCheckpoints");
            if (n.isEmpty() || n.getAsLong() <= completed) {
                return;
            }
            long duration = BenchMetrics.gauge(job, "lastCheckpointDuration").orElse(0);
            // Polled often enough to see each one: checkpoints are seconds apart (min-pause 2 s).
            completed = n.getAsLong();
            totalMillis += duration;
            maxMillis = Math.max(maxMillis, duration);
            size = BenchMetrics.gauge(job, "lastCheckpointSize").orElse(0);
            fullSize = BenchMetrics.gauge(job, "lastCheckpointFullSize").orElse(0);
        }

        Throughput.Checkpoints stats() {
            return completed == 0 ? null
                    : new Throughput.Checkpoints(completed, totalMillis / (double) completed, maxMillis, size, fullSize);
        }
    }
}
