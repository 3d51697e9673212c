package dev.pond.backtest;

import dev.pond.io.EventKind;
import dev.pond.io.Inbound;
import dev.pond.io.InboundDecoder;
import dev.pond.io.JsonCodec;
import dev.pond.io.MergedEventFiles;
import dev.pond.io.TopicReader;
import dev.pond.job.Topics;
import org.apache.avro.specific.SpecificRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A time range of the input topics as the event files a backtest replays: every committed record
 * of the clicks, reads and orders topics up to their end offsets at the start, decoded and checked
 * as the job's sources do, whose event time falls in {@code [from, until)}, written in event-time
 * order (ties in topic order). A record the job would send to the dead letters is left out and
 * counted, as the replay would refuse it too.
 */
public final class TopicHistory {

    /** What was exported: the files, and per kind the events kept, refused and outside the range. */
    public record Exported(List<MergedEventFiles.Input> inputs, Map<EventKind, long[]> counts) {

        /** Index of the kept events in {@link #counts}' arrays. */
        public static final int KEPT = 0;
        /** ... of the records refused as undecodable or invalid. */
        public static final int REFUSED = 1;
        /** ... of the valid events outside the range. */
        public static final int OUTSIDE = 2;

        /** One line per kind: kept, refused, outside the range. */
        public String summary() {
            StringBuilder b = new StringBuilder();
            counts.forEach((kind, c) -> b.append(String.format(java.util.Locale.ROOT,
                    "%s: %,d events in the range, %,d refused as the job would (dead letters), %,d outside it%n",
                    kind, c[KEPT], c[REFUSED], c[OUTSIDE])));
            return b.toString();
        }
    }

    private TopicHistory() {}

    /**
     * Writes {@code clicks.jsonl}, {@code reads.jsonl} and {@code orders.jsonl} of the range into
     * {@code dir}.
     *
     * @param now the wall-clock time events are checked at (an event too far in its future is refused)
     * @param timeout for reading each topic to its end
     */
    public static Exported export(String bootstrap, Map<String, String> clientProperties, Topics topics,
            Instant from, Instant until, long now, Path dir, Duration timeout) throws IOException {
        if (from != null && until != null && !from.isBefore(until)) {
            throw new IllegalArgumentException("the range is empty: --from " + from + " is not before --until " + until);
        }
        Files.createDirectories(dir);
        long lo = from == null ? Long.MIN_VALUE : from.toEpochMilli();
        long hi = until == null ? Long.MAX_VALUE : until.toEpochMilli();
        List<MergedEventFiles.Input> inputs = new ArrayList<>();
        Map<EventKind, long[]> counts = new EnumMap<>(EventKind.class);
        for (EventKind kind : List.of(EventKind.CLICK, EventKind.READ, EventKind.ORDER)) {
            String topic = switch (kind) {
                case CLICK -> topics.clicks();
                case READ -> topics.reads();
                default -> topics.orders();
            };
            InboundDecoder decoder = new InboundDecoder(kind);
            long[] c = new long[3];
            List<Inbound> kept = new ArrayList<>();
            TopicReader.scan(bootstrap, clientProperties, topic, true, timeout, r -> {
                Inbound in = decoder.fromAvro(r.value(), r.key(), r.topic(), r.partition(), r.offset(), r.timestamp(),
                        now);
                if (in.isDeadLetter()) {
                    c[Exported.REFUSED]++;
                } else if (in.eventTime() < lo || in.eventTime() >= hi) {
                    c[Exported.OUTSIDE]++;
                } else {
                    kept.add(in);
                    c[Exported.KEPT]++;
                }
            });
            kept.sort(Comparator.comparingLong(Inbound::eventTime)); // stable: ties keep the topic's order
            Path file = dir.resolve(kind.name().toLowerCase(java.util.Locale.ROOT) + "s.jsonl");
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (Inbound in : kept) {
                    SpecificRecord event = in.click != null ? in.click : in.read != null ? in.read : in.order;
                    w.write(JsonCodec.write(event));
                    w.newLine();
                }
            }
            inputs.add(new MergedEventFiles.Input(kind, file.toString()));
            counts.put(kind, c);
        }
        return new Exported(inputs, counts);
    }
}
