package dev.pond.bench;

import dev.pond.demo.Generator;
import dev.pond.demo.KafkaEventSink;
import dev.pond.io.KafkaClients;
import dev.pond.job.Topics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * One data set of the bench: the first {@code events} events of a seeded generator shop with
 * {@code users} customers, preloaded into three input topics before any measurement starts, so
 * that every phase reads the very same records at the speed it can.
 *
 * @param inputs the topics holding the events (only the three input names are used)
 * @param events how many events they hold
 * @param users customers of the shop
 */
record BenchData(Topics inputs, long events, int users) {

    /** Where the generator's shop starts: fixed, so that a seed always means the same events. */
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** How long customers take to arrive: short, so that nearly all of them show up in the data. */
    static final Duration ARRIVALS = Duration.ofDays(1);

    /** Creates the input topics and writes the events into them. */
    static BenchData preload(String bootstrap, String prefix, long events, int users, long seed, int partitions)
            throws InterruptedException {
        Topics topics = Topics.prefixed(prefix);
        Properties admin = KafkaClients.config(bootstrap, Map.of());
        KafkaClients.ensureTopics(admin, topics.inputs(), Set.of(), partitions, (short) 1);
        Generator generator = generator(seed, users);
        try (KafkaEventSink sink = new KafkaEventSink(bootstrap, Map.of(), topics, 0, seed)) {
            for (long i = 0; i < events; i++) {
                sink.write(generator.next());
            }
            sink.flush();
        }
        return new BenchData(topics, events, users);
    }

    /** The bench's endless generator shop. */
    static Generator generator(long seed, int users) {
        return new Generator(new Generator.Config(seed, users, START, null, ARRIVALS));
    }

    /** The topics of one phase that runs the job over this data: these inputs, its own outputs. */
    Topics outputsFor(String phase) {
        return inputs.withOutputsOf(Topics.prefixed("bench." + phase));
    }
}
