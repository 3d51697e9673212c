package dev.pond.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pond.io.EventKind;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import dev.pond.out.DeadLetter;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import org.apache.avro.Schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scenario file, read and checked: the story, the model (defaults with the file's overrides),
 * the replay horizon, the input lines in the order they are written to their files, and what the
 * replay must write. The format is described on {@link ScenarioTest}. Every key is checked, so a
 * typo fails the scenario instead of being ignored.
 *
 * @param name the file name
 * @param story what happens, in a marketer's words
 * @param model the rules to replay with
 * @param until timers later than this do not fire; null for the time of the last event
 * @param lines the input lines, in script order
 * @param expect what the replay must write
 */
record Scenario(String name, String story, Model model, Instant until, List<Line> lines, Expect expect) {

    /** One line of one input file: a click, read or order as JSON, or a line written verbatim. */
    record Line(EventKind file, String text) {}

    /**
     * The expected outputs; a null list or map is not checked.
     *
     * @param triggers exactly these triggers, in order (partial match of each)
     * @param tags each listed user's final tags, exactly
     * @param tagChanges exactly these tag changes, in order (partial match of each), or null
     * @param profiles partial match of each listed user's last profile, or null
     * @param deadLetters exactly these dead letters, in order (partial match of each); none when not given,
     *     so that a mistyped event field, which makes its line a dead letter, fails the scenario
     */
    record Expect(
            List<JsonNode> triggers,
            Map<String, List<String>> tags,
            List<JsonNode> tagChanges,
            Map<String, JsonNode> profiles,
            List<JsonNode> deadLetters) {}

    /**
     * YAML with decimals kept as written (10.80 stays 10.80), so that an expected number can say how
     * precisely it is meant.
     */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, EventKind> KINDS = Map.of(
            "click", EventKind.CLICK, "read", EventKind.READ, "order", EventKind.ORDER);
    private static final Map<String, EventKind> FILES = Map.of(
            "clicks", EventKind.CLICK, "reads", EventKind.READ, "orders", EventKind.ORDER);

    /** Reads and checks the scenario in {@code file}. */
    static Scenario read(Path file) throws IOException {
        return parse(file.getFileName().toString(), Files.readString(file));
    }

    /** Reads and checks a scenario given as text; {@code name} names it in errors. */
    static Scenario parse(String name, String yaml) throws IOException {
        JsonNode root = YAML.readTree(yaml);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(name + ": a scenario is a mapping with story, events and expect");
        }
        onlyKeys(root, name, Set.of("story", "model", "until", "events", "expect"));
        String story = text(root.get("story"), name + ": story");
        Model model = root.hasNonNull("model")
                ? ModelLoader.fromYaml(JSON.writeValueAsString(root.get("model")), name + ": model")
                : ModelLoader.defaults();
        Instant until = root.hasNonNull("until") ? instant(root.get("until"), name + ": until") : null;
        List<Line> lines = lines(root.get("events"), name);
        Expect expect = expect(root.get("expect"), name);
        return new Scenario(name, story, model, until, lines, expect);
    }

    private static List<Line> lines(JsonNode events, String name) throws IOException {
        if (events == null || !events.isArray() || events.isEmpty()) {
            throw new IllegalArgumentException(name + ": events must be a non-empty list");
        }
        List<Line> lines = new ArrayList<>();
        int i = 0;
        for (JsonNode event : events) {
            String where = name + ": events[" + i++ + "]";
            if (!event.isObject() || event.size() != 1) {
                throw new IllegalArgumentException(where + " must have exactly one key: click, read, order or raw");
            }
            String kind = event.fieldNames().next();
            JsonNode body = event.get(kind);
            if (kind.equals("raw")) {
                onlyKeys(body, where + ".raw", Set.of("file", "line"));
                String file = text(body.get("file"), where + ".raw.file");
                if (!FILES.containsKey(file)) {
                    throw new IllegalArgumentException(where + ".raw.file must be clicks, reads or orders, not " + file);
                }
                lines.add(new Line(FILES.get(file), text(body.get("line"), where + ".raw.line")));
            } else if (KINDS.containsKey(kind)) {
                if (!body.isObject()) {
                    throw new IllegalArgumentException(where + "." + kind + " must be a mapping of the event's fields");
                }
                lines.add(new Line(KINDS.get(kind), JSON.writeValueAsString(withEpochTs((ObjectNode) body, where))));
            } else {
                throw new IllegalArgumentException(where + ": unknown key '" + kind
                        + "' (expected click, read, order or raw)");
            }
        }
        return lines;
    }

    /** The event with an ISO-8601 {@code ts} turned into epoch milliseconds, as the input files want it. */
    private static ObjectNode withEpochTs(ObjectNode event, String where) {
        ObjectNode copy = event.deepCopy();
        JsonNode ts = copy.get("ts");
        if (ts != null && ts.isTextual()) {
            copy.put("ts", instant(ts, where + ".ts").toEpochMilli());
        }
        return copy;
    }

    private static Expect expect(JsonNode expect, String name) {
        String where = name + ": expect";
        if (expect == null || !expect.isObject()) {
            throw new IllegalArgumentException(where + " must be a mapping with at least triggers");
        }
        onlyKeys(expect, where, Set.of("triggers", "tags", "tagChanges", "profiles", "deadLetters"));
        if (!expect.has("triggers")) {
            throw new IllegalArgumentException(where + ".triggers is required (write [] for no trigger at all)");
        }
        for (String map : List.of("tags", "profiles")) {
            if (expect.hasNonNull(map) && !expect.get(map).isObject()) {
                throw new IllegalArgumentException(where + "." + map + " must be a mapping from user to "
                        + (map.equals("tags") ? "a list of tags" : "profile fields"));
            }
        }
        Map<String, List<String>> tags = null;
        if (expect.hasNonNull("tags")) {
            tags = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = expect.get("tags").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> user = it.next();
                List<String> list = new ArrayList<>();
                for (JsonNode tag : list(user.getValue(), where + ".tags." + user.getKey())) {
                    list.add(text(tag, where + ".tags." + user.getKey() + "[]"));
                }
                tags.put(user.getKey(), list);
            }
        }
        Map<String, JsonNode> profiles = null;
        if (expect.hasNonNull("profiles")) {
            profiles = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = expect.get("profiles").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> user = it.next();
                profiles.put(user.getKey(), RecordMatcher.expected(user.getValue(), Profile.getClassSchema(),
                        where + ".profiles." + user.getKey()));
            }
        }
        return new Expect(
                records(expect.get("triggers"), Trigger.getClassSchema(), where + ".triggers"),
                tags,
                expect.hasNonNull("tagChanges")
                        ? records(expect.get("tagChanges"), TagChange.getClassSchema(), where + ".tagChanges")
                        : null,
                profiles,
                records(expect.get("deadLetters"), DeadLetter.getClassSchema(), where + ".deadLetters"));
    }

    /** The expected records of one output file, checked against its schema and normalised for display. */
    private static List<JsonNode> records(JsonNode node, Schema schema, String where) {
        List<JsonNode> records = new ArrayList<>();
        int i = 0;
        for (JsonNode item : list(node, where)) {
            records.add(RecordMatcher.expected(item, schema, where + "[" + i++ + "]"));
        }
        return records;
    }

    private static List<JsonNode> list(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + " must be a list");
        }
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }

    private static void onlyKeys(JsonNode node, String where, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + " must be a mapping with keys " + allowed);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (allowed: "
                        + allowed.stream().sorted().toList() + ")");
            }
        }
    }

    private static String text(JsonNode node, String where) {
        if (node == null || !node.isValueNode() || node.isNull() || node.asText().isBlank()) {
            throw new IllegalArgumentException(where + " must be given as text");
        }
        return node.asText();
    }

    static Instant instant(JsonNode node, String where) {
        try {
            return Instant.parse(text(node, where));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + " must be an ISO-8601 instant such as "
                    + "2026-03-10T10:00:00Z, not " + node.asText());
        }
    }
}
