package dev.pond.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * each user, by user; dead letters by file and line.
 */
public final class ReplayOutput {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayOutput() {}

    /** Line counts of the files written. */
    public record Counts(int triggers, int tagChanges, int profiles, int deadLetters) {}

    /** Merges the parts in {@code parts} into {@code out}, then deletes the parts. */
    public static Counts merge(Path parts, Path out) {
        try {
            Files.createDirectories(out);
            List<Line> triggers = read(parts, JsonLinesSinks.TRIGGERS);
            triggers.sort(Comparator.comparingLong((Line l) -> l.json.get("firedAt").asLong())
                    .thenComparing(l -> l.json.get("userId").asText()));
            List<Line> tags = read(parts, JsonLinesSinks.TAGS);
            tags.sort(Comparator.comparingLong((Line l) -> l.json.get("at").asLong())
                    .thenComparing(l -> l.json.get("userId").asText()));
            Map<String, Line> lastProfile = new TreeMap<>();
            for (Line l : read(parts, JsonLinesSinks.PROFILES)) {
                lastProfile.put(l.json.get("userId").asText(), l);
            }
            List<Line> dead = read(parts, JsonLinesSinks.DEAD_LETTERS);
            dead.sort(Comparator.comparing((Line l) -> l.json.get("sourceTopic").asText())
                    .thenComparingLong(l -> l.json.get("offset").asLong()));
            write(out.resolve("triggers.jsonl"), triggers);
            write(out.resolve("tags.jsonl"), tags);
            write(out.resolve("profiles.jsonl"), new ArrayList<>(lastProfile.values()));
            write(out.resolve("deadletter.jsonl"), dead);
            deleteParts(parts);
            return new Counts(triggers.size(), tags.size(), lastProfile.size(), dead.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Line(String text, JsonNode json) {}

    /** The lines of all parts of {@code name}, part by part in subtask order. */
    private static List<Line> read(Path parts, String name) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (int subtask = 0; ; subtask++) {
            Path part = JsonLinesSink.part(parts, name, subtask);
            if (!Files.exists(part)) {
                return lines;
            }
            for (String text : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                lines.add(new Line(text, JSON.readTree(text)));
            }
        }
    }

    private static void write(Path file, List<Line> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Line l : lines) {
            text.append(l.text).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
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
