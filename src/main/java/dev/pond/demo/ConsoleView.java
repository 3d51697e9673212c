package dev.pond.demo;

import dev.pond.io.AvroCodec;
import dev.pond.io.KafkaClients;
import dev.pond.job.Topics;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import dev.pond.out.Trigger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The demo's live console: reads the output topics as a marketing system would ({@code
 * read_committed}) and shows events per second, segment sizes from the tag changes, trigger
 * counts per type and the latest triggers ({@link TriggerSummary}).
 */
public final class ConsoleView implements AutoCloseable {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final List<String> FAMILIES = List.of("lifecycle", "rfm", "tier");

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final AvroCodec<TagChange> tagCodec = new AvroCodec<>(TagChange.class);
    private final AvroCodec<Trigger> triggerCodec = new AvroCodec<>(Trigger.class);
    private final Map<String, Long> members = new TreeMap<>();
    private final TriggerSummary triggers = new TriggerSummary();
    private long deadLetters;
    private long tagChanges;

    public ConsoleView(String bootstrapServers, Map<String, String> clientProperties, Topics topics) {
        Properties props = KafkaClients.config(bootstrapServers, clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(props);
        this.topics = topics;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String t : List.of(topics.tags(), topics.triggers(), topics.deadLetters())) {
            for (PartitionInfo p : consumer.partitionsFor(t)) {
                partitions.add(new TopicPartition(t, p.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what arrived for up to {@code timeout}. */
    public void poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            try {
                if (r.topic().equals(topics.tags())) {
                    TagChange c = tagCodec.decode(r.value());
                    tagChanges++;
                    members.merge(c.getTag(), c.getChange() == TagChangeType.ADDED ? 1L : -1L, Long::sum);
                } else if (r.topic().equals(topics.triggers())) {
                    triggers.add(triggerCodec.decode(r.value()));
                } else {
                    deadLetters++;
                }
            } catch (Exception e) {
                deadLetters++;
            }
        }
    }

    /** Draws one frame. */
    public void render(PrintStream out, String header, LivePublisher publisher, double eventsPerSecond) {
        StringBuilder s = new StringBuilder();
        if (System.console() != null) {
            s.append("\033[H\033[2J");
        }
        s.append(header).append('\n');
        long eventTime = publisher.eventTime();
        s.append(String.format(Locale.ROOT, "event time %s   in: %,.0f events/s (%,d so far)   dead letters: %,d%n",
                eventTime == Long.MIN_VALUE ? "-" : TIME.format(Instant.ofEpochMilli(eventTime)),
                eventsPerSecond, publisher.published(), deadLetters));
        s.append(String.format(Locale.ROOT, "tag changes: %,d%n%n", tagChanges));
        for (String family : FAMILIES) {
            s.append(String.format(Locale.ROOT, "%-10s", family));
            members.forEach((tag, n) -> {
                if (tag.startsWith(family + ":") && n > 0) {
                    s.append(String.format(Locale.ROOT, "  %s %,d", tag.substring(family.length() + 1), n));
                }
            });
            s.append('\n');
        }
        s.append('\n');
        triggers.appendTo(s);
        out.print(s);
        out.flush();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
