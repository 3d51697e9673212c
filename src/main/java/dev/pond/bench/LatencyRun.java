package dev.pond.bench;

import dev.pond.demo.Generator;
import dev.pond.demo.KafkaEventSink;
import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import dev.pond.io.AvroCodec;
import dev.pond.io.KafkaClients;
import dev.pond.io.KafkaSinks;
import dev.pond.io.KafkaSources;
import dev.pond.job.JobOptions;
import dev.pond.job.PondJob;
import dev.pond.job.Topics;
import dev.pond.model.Model;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency from event to output at a fixed input rate: the full job runs on empty topics while the
 * bench produces generator events at the rate, each stamped with the wall-clock moment it is sent
 * as its event time, and a consumer reads the tag changes and profiles as they become visible and
 * takes, for each, the wall clock minus the event time it describes. At least once, with a
 * {@code read_uncommitted} consumer, this is the pipeline's own latency; exactly once, with {@code
 * read_committed}, outputs wait for the checkpoint that commits them.
 */
final class LatencyRun {

    /**
     * What one latency run measured.
     *
     * @param delivery the sinks' guarantee (and so the consumer's isolation level)
     * @param targetRate the input rate asked for, events/s
     * @param achievedRate the input rate produced
     * @param outputs outputs timed (those about events sent in the measured window)
     * @param p50Millis median latency
     * @param p99Millis 99th percentile
     * @param maxMillis the longest
     * @param checkpointIntervalMillis the job's checkpoint interval
     */
    record Result(JobOptions.Delivery delivery, double targetRate, double achievedRate, long outputs, long p50Millis,
                  long p99Millis, long maxMillis, long checkpointIntervalMillis) {}

    private LatencyRun() {}

    static Result run(JobOptions.Delivery delivery, String bootstrap, int users, long seed, double rate,
                      Duration warmup, Duration measure, FlinkRun.Phase phase, Model model, Path work) throws Exception {
        String id = phase.id();
        Topics topics = Topics.prefixed("bench." + id);
        KafkaClients.ensureTopics(KafkaClients.config(bootstrap, Map.of()), topics.all(), Set.of(topics.profiles()),
                phase.parallelism(), (short) 1);
        JobOptions options = JobOptions.defaults(bootstrap).withTopics(topics).withGroup("bench-" + id, "bench-" + id)
                .withDelivery(delivery);
        Configuration conf = FlinkRun.configuration(phase, work.resolve("flink-" + id));
        long interval = conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL).toMillis();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        PondJob.defineWorkflow(env, new KafkaSources(options), new KafkaSinks(options), model, Long.MAX_VALUE);
        JobClient client = env.executeAsync("bench " + id);
        try {
            awaitRunning(client);
            Timer timer = new Timer(delivery, bootstrap, topics);
            Thread timing = new Thread(timer, "bench-latency-consumer");
            timing.setDaemon(true);
            timing.start();

            long start = System.currentTimeMillis();
            long measureFrom = start + warmup.toMillis();
            long measureTo = measureFrom + measure.toMillis();
            timer.window(measureFrom, measureTo);
            long sent = produce(bootstrap, topics, users, seed, rate, measureTo);
            double achieved = sent * 1000.0 / (System.currentTimeMillis() - start);
            // Exactly once, the last outputs wait for the next checkpoint: give it two intervals.
            long drainUntil = System.currentTimeMillis() + 5_000
                    + (delivery == JobOptions.Delivery.EXACTLY_ONCE ? 2 * interval : 0);
            while (System.currentTimeMillis() < drainUntil && timing.isAlive()) {
                LockSupport.parkNanos(DecodeLoop.POLL_NANOS);
            }
            timer.stop();
            timing.join(10_000);
            timer.rethrow();
            long[] latencies = timer.latencies();
            if (latencies.length == 0) {
                throw new IllegalStateException("no outputs seen in latency run " + id);
            }
            Arrays.sort(latencies);
            int n = latencies.length;
            return new Result(delivery, rate, achieved, n, latencies[(n - 1) / 2],
                    latencies[(int) Math.ceil(0.99 * n) - 1], latencies[n - 1], interval);
        } finally {
            client.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    /** Sends events at {@code rate} until {@code until} (wall clock), each stamped with its moment of sending. */
    private static long produce(String bootstrap, Topics topics, int users, long seed, double rate, long until) {
        Generator generator = BenchData.generator(seed, users);
        long sent = 0;
        long t0 = System.nanoTime();
        double nanosPerEvent = 1e9 / rate;
        try (KafkaEventSink sink = new KafkaEventSink(bootstrap, Map.of(ProducerConfig.LINGER_MS_CONFIG, "2"), topics,
                0, seed)) {
            while (System.currentTimeMillis() < until) {
                long due = t0 + (long) (sent * nanosPerEvent);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                sink.write(restamped(generator.next(), Instant.ofEpochMilli(System.currentTimeMillis())));
                sent++;
            }
            sink.flush();
        }
        return sent;
    }

    private static SpecificRecord restamped(SpecificRecord event, Instant now) {
        if (event instanceof ClickEvent c) {
            c.setTs(now);
        } else if (event instanceof ArticleRead r) {
            r.setTs(now);
        } else {
            ((OrderEvent) event).setTs(now);
        }
        return event;
    }

    private static void awaitRunning(JobClient client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (client.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the latency job did not start: " + client.getJobStatus().get());
            }
            LockSupport.parkNanos(DecodeLoop.POLL_NANOS);
        }
    }

    /** Reads tag changes and profiles as they become visible and times those about the window's events. */
    private static final class Timer implements Runnable {
        private final Properties props;
        private final Topics topics;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AvroCodec<TagChange> tags = new AvroCodec<>(TagChange.class);
        private final AvroCodec<Profile> profiles = new AvroCodec<>(Profile.class);
        private final List<Long> latencies = new ArrayList<>();
        private volatile long from = Long.MAX_VALUE;
        private volatile long to = Long.MIN_VALUE;
        private volatile Exception failure;

        Timer(JobOptions.Delivery delivery, String bootstrap, Topics topics) {
            this.topics = topics;
            props = KafkaClients.config(bootstrap, Map.of());
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    delivery == JobOptions.Delivery.EXACTLY_ONCE ? "read_committed" : "read_uncommitted");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        }

        void window(long fromMillis, long toMillis) {
            from = fromMillis;
            to = toMillis;
        }

        @Override
        public void run() {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(topics.tags(), topics.profiles())) {
                    consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        long at = r.topic().equals(topics.tags())
                                ? tags.decode(r.value()).getAt().toEpochMilli()
                                : profiles.decode(r.value()).getUpdatedAt().toEpochMilli();
                        if (at >= from && at <= to) {
                            synchronized (latencies) {
                                latencies.add(now - at);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        void stop() {
            stop.set(true);
        }

        void rethrow() throws Exception {
            if (failure != null) {
                throw failure;
            }
        }

        long[] latencies() {
            synchronized (latencies) {
                return latencies.stream().mapToLong(Long::longValue).toArray();
            }
        }
    }
}
