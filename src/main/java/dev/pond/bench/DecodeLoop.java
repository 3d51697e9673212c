package dev.pond.bench;

import dev.pond.io.EventKind;
import dev.pond.io.Inbound;
import dev.pond.io.InboundDecoder;
import dev.pond.io.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Phase A, the limit the input imposes: plain Kafka consumers, one per thread, each owning a share
 * of the input partitions, reading them from the start ({@code read_committed}, as the job does),
 * decoding and validating every record as the job's source does, and discarding it. Timed after
 * the same warm-up as the jobs.
 */
final class DecodeLoop {

    /** How often progress and memory are looked at. */
    static final long POLL_NANOS = 20_000_000L;

    private DecodeLoop() {}

    static Throughput run(String bootstrap, BenchData data, int threads, Duration timeout) throws Exception {
        List<List<TopicPartition>> shares = shares(bootstrap, data, threads);
        AtomicLong decoded = new AtomicLong();
        AtomicLong dead = new AtomicLong();
        AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);
        AtomicLong startCount = new AtomicLong(-1);
        AtomicLong firstCpu = new AtomicLong();
        AtomicLong firstJit = new AtomicLong();
        long warmUp = FlinkRun.warmUp(data.events());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        MemoryPeak memory = new MemoryPeak();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (List<TopicPartition> share : shares) {
                running.add(pool.submit(() -> {
                    consume(bootstrap, data, share, decoded, dead, firstNanos, firstCpu, firstJit, startCount, warmUp,
                            deadline);
                    return null;
                }));
            }
            while (decoded.get() < data.events()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("phase A decoded " + decoded.get() + " of " + data.events()
                            + " events before its deadline");
                }
                memory.sample();
                for (Future<?> f : running) {
                    if (f.isDone()) {
                        f.get(); // rethrows a consumer's failure
                    }
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            long end = System.nanoTime();
            double cpu = (MemoryPeak.processCpuNanos() - firstCpu.get()) / 1e9;
            double jit = (MemoryPeak.compileMillis() - firstJit.get()) / 1e3;
            for (Future<?> f : running) {
                f.get();
            }
            if (dead.get() > 0) {
                throw new IllegalStateException(dead.get() + " bench records did not decode");
            }
            return new Throughput("A", "Kafka consumer loop: decode + validate, discard",
                    data.events() - startCount.get(), (end - firstNanos.get()) / 1e9, threads, memory.heapBytes(),
                    memory.rssBytes(), null, null, cpu, jit, decoded.get());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void consume(String bootstrap, BenchData data, List<TopicPartition> share, AtomicLong decoded,
                                AtomicLong dead, AtomicLong firstNanos, AtomicLong firstCpu, AtomicLong firstJit,
                                AtomicLong startCount, long warmUp, long deadline) {
        Properties props = KafkaClients.config(bootstrap, Map.of());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, InboundDecoder> decoders = Map.of(
                data.inputs().clicks(), new InboundDecoder(EventKind.CLICK),
                data.inputs().reads(), new InboundDecoder(EventKind.READ),
                data.inputs().orders(), new InboundDecoder(EventKind.ORDER));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(share);
            consumer.seekToBeginning(share);
            Map<TopicPartition, Long> ends = consumer.endOffsets(share);
            while (!reachedEnd(consumer, ends) && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                long n = 0;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    Inbound in = decoders.get(r.topic()).fromAvro(r.value(), r.key(), r.topic(), r.partition(),
                            r.offset(), r.timestamp(), System.currentTimeMillis());
                    if (in.isDeadLetter()) {
                        dead.incrementAndGet();
                    }
                    n++;
                }
                long total = decoded.addAndGet(n);
                if (total >= warmUp && startCount.compareAndSet(-1, total)) {
                    firstCpu.set(MemoryPeak.processCpuNanos());
                    firstJit.set(MemoryPeak.compileMillis());
                    firstNanos.set(System.nanoTime()); // the clock starts once, in whichever thread passes the warm-up
                }
            }
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The input partitions, dealt round-robin to the threads. */
    private static List<List<TopicPartition>> shares(String bootstrap, BenchData data, int threads) {
        Properties props = KafkaClients.config(bootstrap, Map.of());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<TopicPartition> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            for (String topic : data.inputs().inputs()) {
                for (PartitionInfo p : consumer.partitionsFor(topic)) {
                    all.add(new TopicPartition(topic, p.partition()));
                }
            }
        }
        List<List<TopicPartition>> shares = new ArrayList<>();
        for (int i = 0; i < Math.min(threads, all.size()); i++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            shares.get(i % shares.size()).add(all.get(i));
        }
        return shares;
    }
}
