package dev.pond.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pond.events.OrderEvent;
import dev.pond.io.Inbound;
import dev.pond.io.InboundDecoder;
import dev.pond.io.JsonCodec;
import dev.pond.io.MergedEventFiles;
import dev.pond.job.JobOptions;
import dev.pond.job.Replay;
import dev.pond.model.Model;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerNote;
import dev.pond.out.TriggerType;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code pond backtest}: replays a history with a model (and optionally a second one to compare)
 * and measures what its triggers would have done ({@link TriggerOutcomes}). Each replay is the
 * deterministic {@link Replay}, so the same history and models give the same report.
 */
public final class Backtest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One model's replay and what its triggers did. */
    public record Run(String name, String version, List<Trigger> triggers,
                      Map<TriggerType, TriggerOutcomes.PerType> types) {}

    /** Users targeted by the first model, by the second, and by both. */
    public record Overlap(int first, int second, int both) {}

    /**
     * The backtest: one run per model, the history's span and users, and (with two models) the
     * users both target, per type and in all (key null).
     */
    public record Result(List<Run> runs, Duration window, Instant from, Instant until, int users,
                         Map<TriggerType, Overlap> overlap) {}

    /**
     * What to backtest.
     *
     * @param inputs the history (replay's event files)
     * @param until end of the history (timers after it do not fire); null for its last event
     * @param window how long after a trigger a payment counts as its conversion
     * @param now wall-clock time the events are validated at; null for the actual time
     * @param work where the replays write their files, a directory per model
     */
    public record Request(List<MergedEventFiles.Input> inputs, Instant until, Duration window, Instant now,
                          Path work) {}

    private Backtest() {}

    /** Backtests {@code models} (name to model, in order; one, or two to compare). */
    public static Result run(Map<String, Model> models, Request request) throws Exception {
        if (models.isEmpty() || models.size() > 2) {
            throw new IllegalArgumentException("backtest one model, or two to compare; got " + models.size());
        }
        if (request.window().isNegative() || request.window().isZero()) {
            throw new IllegalArgumentException("the conversion window must be positive, got " + request.window());
        }
        long now = request.now() != null ? request.now().toEpochMilli() : System.currentTimeMillis();
        History history = History.read(request.inputs(), now);
        List<Run> runs = new ArrayList<>();
        for (Map.Entry<String, Model> m : models.entrySet()) {
            Path out = request.work().resolve(m.getKey());
            Replay.run(m.getValue(), new Replay.Request(request.inputs(), request.until(), out, 1,
                    JobOptions.DEFAULT_OUT_OF_ORDERNESS, Instant.ofEpochMilli(now)));
            List<Trigger> triggers = records(out.resolve("triggers.jsonl"), Trigger.class);
            List<TagChange> tags = records(out.resolve("tags.jsonl"), TagChange.class);
            runs.add(new Run(m.getKey(), m.getValue().version(), triggers, TriggerOutcomes.of(triggers,
                    notSent(out.resolve("notsent.jsonl")), tags, history.orders(), request.window())));
        }
        Instant until = request.until() != null ? request.until() : history.last();
        return new Result(runs, request.window(), history.first(), until, history.users(),
                runs.size() == 2 ? overlap(runs.get(0), runs.get(1)) : Map.of());
    }

    private static Map<TriggerType, Overlap> overlap(Run a, Run b) {
        Map<TriggerType, Set<String>> x = TriggerOutcomes.targets(a.triggers());
        Map<TriggerType, Set<String>> y = TriggerOutcomes.targets(b.triggers());
        List<TriggerType> keys = new ArrayList<>();
        keys.add(null);
        keys.addAll(List.of(TriggerType.values()));
        Map<TriggerType, Overlap> overlap = new LinkedHashMap<>();
        for (TriggerType t : keys) {
            Set<String> first = x.getOrDefault(t, Set.of());
            Set<String> second = y.getOrDefault(t, Set.of());
            if (!first.isEmpty() || !second.isEmpty()) {
                int both = (int) first.stream().filter(second::contains).count();
                overlap.put(t, new Overlap(first.size(), second.size(), both));
            }
        }
        return overlap;
    }

    /** The valid events of the history, as the replay sees them: users, span and orders. */
    private record History(int users, Instant first, Instant last, List<OrderEvent> orders) {
        static History read(List<MergedEventFiles.Input> inputs, long now) throws IOException {
            Set<String> users = new TreeSet<>();
            List<OrderEvent> orders = new ArrayList<>();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (MergedEventFiles.Input input : inputs) {
                InboundDecoder decoder = new InboundDecoder(input.kind());
                long n = 0;
                for (String line : Files.readAllLines(Path.of(input.path()), StandardCharsets.UTF_8)) {
                    Inbound in = decoder.fromJson(line, input.path(), ++n, now);
                    if (in.isDeadLetter()) {
                        continue; // the replay refuses it too
                    }
                    users.add(in.userId());
                    first = Math.min(first, in.eventTime());
                    last = Math.max(last, in.eventTime());
                    if (in.order != null) {
                        orders.add(in.order);
                    }
                }
            }
            if (users.isEmpty()) {
                throw new IllegalArgumentException("the history has no valid event");
            }
            return new History(users.size(), Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), orders);
        }
    }

    private static List<TriggerNote> notSent(Path file) throws IOException {
        List<TriggerNote> notes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            ObjectNode json = (ObjectNode) JSON.readTree(line);
            json.remove("userId");
            notes.add(JsonCodec.read(JSON.writeValueAsString(json), TriggerNote.class));
        }
        return notes;
    }

    private static <T extends SpecificRecord> List<T> records(Path file, Class<T> type) throws IOException {
        List<T> records = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            records.add(JsonCodec.read(line, type));
        }
        return records;
    }
}
