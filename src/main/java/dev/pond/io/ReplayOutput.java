package dev.pond.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the part files of a replay into its output files, in an order that depends on the input
 * alone (not on how many parallel writers there were): triggers by firing time, tag changes by
 * time, then user (a user's records keep the order they were produced in); the last profile of
 * each user, by user; segment counts and alerts by window end, then segment or alert; dead letters by file and line.
 */
public final class ReplayOutput {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayOutput() {}

    /** Line counts of the files written. */
    public record Counts(int triggers, int tagChanges, int profiles, int segmentCounts, int alerts, int deadLetters,
                         int notSent) {}

    /** Merges the parts in {@code parts} into {@code out}, then deletes the parts. */
    public static Counts merge(Path parts, Path out) {
        try {
            Files.createDirectories(out);
            List<Line> triggers = read(parts, JsonLinesSinks.TRIGGERS, "firedAt", "userId");
            triggers.sort(BY_TIME_THEN_KEY);
            List<Line> tags = read(parts, JsonLinesSinks.TAGS, "at", "userId");
            tags.sort(BY_TIME_THEN_KEY);
            Map<String, String> lastProfile = new TreeMap<>();
            List<Line> notSent = lastByUserAndNotes(parts, lastProfile);
            notSent.sort(BY_TIME_THEN_KEY);
            List<Line> segments = read(parts, JsonLinesSinks.SEGMENTS, "windowEnd", "segment");
            segments.sort(BY_TIME_THEN_KEY);
            List<Line> alerts = read(parts, JsonLinesSinks.ALERTS, "windowEnd", "alert");
            alerts.sort(BY_TIME_THEN_KEY);
            List<Line> dead = read(parts, JsonLinesSinks.DEAD_LETTERS, "offset", "sourceTopic");
            dead.sort(Comparator.comparing(Line::key).thenComparingLong(Line::time));
            write(out.resolve("triggers.jsonl"), triggers.stream().map(Line::text).toList());
            write(out.resolve("tags.jsonl"), tags.stream().map(Line::text).toList());
            write(out.resolve("profiles.jsonl"), new ArrayList<>(lastProfile.values()));
            write(out.resolve("segments.jsonl"), segments.stream().map(Line::text).toList());
            write(out.resolve("alerts.jsonl"), alerts.stream().map(Line::text).toList());
            write(out.resolve("deadletter.jsonl"), dead.stream().map(Line::text).toList());
            write(out.resolve("notsent.jsonl"), notSent.stream().map(Line::text).toList());
            deleteParts(parts);
            return new Counts(triggers.size(), tags.size(), lastProfile.size(), segments.size(), alerts.size(),
                    dead.size(), notSent.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A written line and the two fields it is ordered by (a stable sort keeps a user's own order). */
    private record Line(String text, long time, String key) {}

    private static final Comparator<Line> BY_TIME_THEN_KEY =
            Comparator.comparingLong(Line::time).thenComparing(Line::key);

    /** The lines of all parts of {@code name}, part by part in subtask order, with their sort keys. */
    private static List<Line> read(Path parts, String name, String timeField, String keyField) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (Path part : parts(parts, name)) {
            for (String text : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                JsonNode json = JSON.readTree(text);
                lines.add(new Line(text, json.get(timeField).asLong(), json.get(keyField).asText()));
            }
        }
        return lines;
    }

    /**
     * Puts the last profile line of each user into {@code last} (only those are kept in memory) and
     * returns every trigger the contact policy did not send, from the notes of all profiles: one
     * line per trigger, {@code {"userId": ..., "triggerId": ..., "type": ..., "at": ..., "outcome":
     * ..., "reason": ...}}. A later profile may repeat a note; it counts once.
     */
    private static List<Line> lastByUserAndNotes(Path parts, Map<String, String> last) throws IOException {
        Map<String, Line> notes = new TreeMap<>();
        for (Path part : parts(parts, JsonLinesSinks.PROFILES)) {
            try (var reader = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
                for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                    JsonNode profile = JSON.readTree(text);
                    String user = profile.get("userId").asText();
                    last.put(user, text);
                    for (JsonNode note : profile.get("triggersNotSent")) {
                        ObjectNode line = JSON.createObjectNode().put("userId", user);
                        line.setAll((ObjectNode) note);
                        notes.putIfAbsent(note.get("triggerId").asText(),
                                new Line(JSON.writeValueAsString(line), note.get("at").asLong(), user));
                    }
                }
            }
        }
        return new ArrayList<>(notes.values());
    }

    private static List<Path> parts(Path parts, String name) {
        List<Path> files = new ArrayList<>();
        for (int subtask = 0; Files.exists(JsonLinesSink.part(parts, name, subtask)); subtask++) {
            files.add(JsonLinesSink.part(parts, name, subtask));
        }
        return files;
    }

    private static void write(Path file, List<String> lines) throws IOException {
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                out.write(line);
                out.write('\n');
            }
        }
    }

    private static void deleteParts(Path parts) throws IOException {
        if (!Files.isDirectory(parts)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(parts)) {
            for (Path f : files) {
                Files.delete(f);
            }
        }
        Files.delete(parts);
    }
}
