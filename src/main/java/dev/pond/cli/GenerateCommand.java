package dev.pond.cli;

import dev.pond.demo.EventSink;
import dev.pond.demo.Generator;
import dev.pond.demo.JsonLinesEventSink;
import dev.pond.demo.KafkaEventSink;
import dev.pond.job.Topics;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** {@code pond generate}: seeded synthetic events to JSON Lines files or Kafka. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Generates realistic synthetic events (sessions, carts, orders, article pushes) for seeded",
            "users with latent purchase rates and churn. The same seed gives the same events."
        })
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--users", defaultValue = "1000", description = "Simulated customers (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--days", defaultValue = "30", description = "Days of events (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--start", paramLabel = "INSTANT",
            description = "Event time of the start (default: midnight UTC, --days before today).")
    Instant start;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "EVENTS_PER_SECOND",
            description = "Produce at most this many events per second of wall-clock time, as a live shop"
                    + " would; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--skip", defaultValue = "0", paramLabel = "N",
            description = "Leave out the first N events (in the generator's order, which is event time), "
                    + "so that a stream can be produced in parts (default: ${DEFAULT-VALUE}).")
    long skip;

    @Option(names = "--limit", paramLabel = "N",
            description = "Write at most N events after the skipped ones (default: all).")
    Long limit;

    @Option(names = "--garbage-rate", defaultValue = "0", paramLabel = "SHARE",
            description = "Beside this share of the events, also send a record of 1 to 64 random bytes, as a"
                    + " broken producer would: each one is a dead letter for the job (Kafka only;"
                    + " default: ${DEFAULT-VALUE}).")
    double garbageRate;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Files or Kafka. */
    static final class Target {
        @Option(names = "--out", paramLabel = "DIR", description = "Write clicks.jsonl, reads.jsonl, orders.jsonl here.")
        Path out;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Produce to these Kafka brokers.")
        String bootstrapServers;
    }

    @Mixin
    KafkaOptions kafka;

    @Mixin
    TopicCreation topicCreation;

    @Override
    public Integer call() throws Exception {
        if (users < 1 || days < 1) {
            throw new IllegalArgumentException("--users and --days must be at least 1");
        }
        if (rate < 0 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("--rate must be 0 or more, got " + rate);
        }
        if (skip < 0) {
            throw new IllegalArgumentException("--skip must be 0 or more, got " + skip);
        }
        if (limit != null && limit < 0) {
            throw new IllegalArgumentException("--limit must be 0 or more, got " + limit);
        }
        if (!(garbageRate >= 0 && garbageRate <= 1)) {
            throw new IllegalArgumentException("--garbage-rate must be between 0 and 1, got " + garbageRate);
        }
        if (garbageRate > 0 && target.out != null) {
            throw new IllegalArgumentException("--garbage-rate " + garbageRate + " needs --bootstrap-servers: files get"
                    + " only events");
        }
        Instant from = start != null ? start
                : Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days));
        Instant to = from.plus(Duration.ofDays(days));
        Generator generator = new Generator(new Generator.Config(seed, users, from, to, Duration.ofDays(days).dividedBy(2)));
        Map<String, Long> counts = new TreeMap<>();
        long began = System.nanoTime();
        long n = 0;
        long seen = 0;
        long last = limit == null ? Long.MAX_VALUE : skip + limit;
        long garbage;
        try (EventSink sink = open()) {
            while (generator.hasNext() && seen < last) {
                SpecificRecord event = generator.next();
                if (seen++ < skip) {
                    continue;
                }
                sink.write(event);
                counts.merge(event.getSchema().getName(), 1L, Long::sum);
                n++;
                if (rate > 0) {
                    // Pace by wall-clock time: the n-th event goes out no earlier than n / rate seconds in.
                    long due = began + (long) (n * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }
            garbage = sink instanceof KafkaEventSink k ? k.garbage() : 0;
        }
        System.out.printf("generated %s from %s to %s into %s%s%n", counts, from, to,
                target.out != null ? target.out : target.bootstrapServers,
                garbage > 0 ? ", and " + garbage + " records of random bytes" : "");
        return 0;
    }

    private EventSink open() throws Exception {
        if (target.out != null) {
            return new JsonLinesEventSink(target.out);
        }
        Topics topics = kafka.topics();
        Map<String, String> props = kafka.clientProperties();
        topicCreation.apply(target.bootstrapServers, props, topics.inputs(), Set.of());
        return new KafkaEventSink(target.bootstrapServers, props, topics, garbageRate, seed);
    }
}
