package dev.pond.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pond.io.EventKind;
import dev.pond.io.MergedEventFiles;
import dev.pond.job.JobOptions;
import dev.pond.job.Replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a scenario through the real topology: writes its lines to {@code clicks.jsonl}, {@code
 * reads.jsonl} and {@code orders.jsonl} (each file keeps the script's order of its lines), replays
 * them with {@link Replay} and reads back the four output files.
 */
final class ScenarioRunner {

    /** The input files, in the order that breaks ties of equal event time in the merge. */
    private static final Map<EventKind, String> FILES = Map.of(
            EventKind.CLICK, "clicks.jsonl", EventKind.READ, "reads.jsonl", EventKind.ORDER, "orders.jsonl");
    private static final List<EventKind> ORDER = List.of(EventKind.CLICK, EventKind.READ, EventKind.ORDER);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScenarioRunner() {}

    /** What a replay wrote, one parsed JSON object per line, in file order. */
    record Outcome(List<JsonNode> triggers, List<JsonNode> tagChanges, List<JsonNode> profiles,
                   List<JsonNode> deadLetters) {}

    /** Replays {@code scenario} in {@code dir} with the scoring operator at {@code parallelism}. */
    static Outcome run(Scenario scenario, Path dir, int parallelism) throws Exception {
        List<MergedEventFiles.Input> inputs = writeInputs(scenario, dir);
        Path out = dir.resolve("out");
        Replay.run(scenario.model(),
                new Replay.Request(inputs, scenario.until(), out, parallelism, JobOptions.DEFAULT_OUT_OF_ORDERNESS, null));
        return new Outcome(read(out.resolve("triggers.jsonl")), read(out.resolve("tags.jsonl")),
                read(out.resolve("profiles.jsonl")), read(out.resolve("deadletter.jsonl")));
    }

    /** Writes the scenario's lines to its input files in {@code dir/in}, and returns them in merge order. */
    static List<MergedEventFiles.Input> writeInputs(Scenario scenario, Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        List<MergedEventFiles.Input> inputs = new ArrayList<>();
        for (EventKind kind : ORDER) {
            StringBuilder text = new StringBuilder();
            for (Scenario.Line line : scenario.lines()) {
                if (line.file() == kind) {
                    text.append(line.text()).append('\n');
                }
            }
            Path file = in.resolve(FILES.get(kind));
            Files.writeString(file, text, StandardCharsets.UTF_8);
            inputs.add(new MergedEventFiles.Input(kind, file.toString()));
        }
        return inputs;
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }
}
