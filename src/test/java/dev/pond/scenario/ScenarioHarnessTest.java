package dev.pond.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pond.io.EventKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scenario harness itself, without Flink: a scenario with a typo is refused before anything
 * runs, events are written the way the input files want them, and the verifier fails, with the
 * story and a line diff, when the output differs from what the scenario expects (and only then).
 */
class ScenarioHarnessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SCENARIO = """
            story: Ann adds a serum at 10:00 and gets a reminder at 10:30.
            until: 2026-03-10T12:00:00Z
            events:
              - click: {eventId: c1, userId: ann, ts: 2026-03-10T10:00:00Z, type: ADD_TO_CART, productId: serum, price: 99}
              - raw: {file: orders, line: 'not json'}
            expect:
              triggers:
                - {userId: ann, type: CART_ABANDONED, firedAt: 2026-03-10T10:30:00Z, facts: {scores: {intent: 3.97}}}
              tags:
                ann: [lifecycle:prospect]
            """;

    private static final String TRIGGER = """
            {"triggerId":"t1","userId":"ann","type":"CART_ABANDONED","firedAt":%d,"expiresAt":0,"priority":50,
             "reason":"r","facts":{"scores":{"intent":3.9722},"counts":{},"items":[],"eventIds":["c1"]},
             "offer":null,"modelVersion":"v"}""";
    private static final String TAG = """
            {"userId":"ann","tag":"lifecycle:prospect","change":"ADDED","at":1773136800000,"reason":"r"}""";
    private static final String PROFILE = """
            {"userId":"ann","tags":["lifecycle:prospect"]}""";

    @Test
    void readsTheScriptIntoFileLinesWithEpochMillis() throws Exception {
        Scenario s = Scenario.parse("s.yaml", SCENARIO);

        assertThat(s.story()).startsWith("Ann adds");
        assertThat(s.until()).hasToString("2026-03-10T12:00:00Z");
        assertThat(s.lines()).extracting(Scenario.Line::file).containsExactly(EventKind.CLICK, EventKind.ORDER);
        JsonNode click = JSON.readTree(s.lines().get(0).text());
        assertThat(click.get("ts").asLong()).isEqualTo(1773136800000L);
        assertThat(s.lines().get(1).text()).isEqualTo("not json");
        assertThat(s.expect().deadLetters()).as("no dead letters unless listed").isEmpty();
        assertThat(s.model().version()).isEqualTo("default-2026.11");
    }

    @Test
    void refusesUnknownKeysAnywhere() {
        assertThatThrownBy(() -> Scenario.parse("s.yaml", SCENARIO.replace("until:", "untill:")))
                .hasMessageContaining("unknown key 'untill'");
        assertThatThrownBy(() -> Scenario.parse("s.yaml", SCENARIO.replace("tags:", "tag:")))
                .hasMessageContaining("unknown key 'tag'");
        assertThatThrownBy(() -> Scenario.parse("s.yaml", SCENARIO.replace("- raw:", "- rwa:")))
                .hasMessageContaining("unknown key 'rwa'");
        assertThatThrownBy(() -> Scenario.parse("s.yaml", SCENARIO.replace("firedAt:", "firedat:")))
                .hasMessageContaining("unknown field 'firedat'");
        assertThatThrownBy(() -> Scenario.parse("s.yaml", SCENARIO.replace("until:", "model: {intent: {halfLifeHourz: 1}}\nuntil:")))
                .hasMessageContaining("halfLifeHourz");
        assertThatThrownBy(() -> Scenario.parse("s.yaml", SCENARIO.replace("  triggers:\n", "  triggerz:\n")))
                .hasMessageContaining("unknown key 'triggerz'");
        assertThatThrownBy(() -> Scenario.parse("s.yaml", SCENARIO.replace("type: CART_ABANDONED", "type: CART_ABANDONDED")))
                .hasMessageContaining("CART_ABANDONDED is not one of [CART_ABANDONED");
        assertThatThrownBy(() -> Scenario.parse("s.yaml", SCENARIO.replace("ann: [lifecycle:prospect]", "- ann")))
                .hasMessageContaining("tags must be a mapping");
    }

    @Test
    void requiresTheTriggersToBeSaid() {
        String noTriggers = SCENARIO.substring(0, SCENARIO.indexOf("  triggers:")) + "  tags: {ann: []}\n";
        assertThatThrownBy(() -> Scenario.parse("s.yaml", noTriggers)).hasMessageContaining("triggers is required");
    }

    @Test
    void passesWhenTheOutputMatches() throws Exception {
        Scenario s = Scenario.parse("s.yaml", SCENARIO);

        ScenarioVerifier.verify(s, outcome(List.of(TRIGGER.formatted(1773138600000L)), List.of(TAG), List.of(PROFILE),
                List.of()));
    }

    @Test
    void failsWithTheStoryAndALineDiff() throws Exception {
        Scenario s = Scenario.parse("s.yaml", SCENARIO);
        ScenarioRunner.Outcome late = outcome(List.of(TRIGGER.formatted(1773139200000L)), List.of(TAG),
                List.of(PROFILE), List.of());

        assertThatThrownBy(() -> ScenarioVerifier.verify(s, late))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Story: Ann adds a serum")
                .hasMessageContaining("  - {userId: ann, type: CART_ABANDONED, firedAt: 2026-03-10T10:30:00Z, "
                        + "facts: {scores: {intent: 3.97}}}")
                .hasMessageContaining("  + {userId: ann, type: CART_ABANDONED, firedAt: 2026-03-10T10:40:00Z, "
                        + "facts: {scores: {intent: 3.97}}}");
    }

    @Test
    void failsOnAMissingTriggerATagOrAnUnexpectedDeadLetter() throws Exception {
        Scenario s = Scenario.parse("s.yaml", SCENARIO);
        String dead = """
                {"sourceTopic":"orders.jsonl","partition":0,"offset":1,"timestamp":null,"key":null,"raw":"bm90IGpzb24=","error":"e"}""";

        assertThatThrownBy(() -> ScenarioVerifier.verify(s, outcome(List.of(), List.of(TAG), List.of(PROFILE), List.of())))
                .hasMessageContaining("triggers differ (expected 1, got 0)");
        assertThatThrownBy(() -> ScenarioVerifier.verify(s, outcome(List.of(TRIGGER.formatted(1773138600000L)),
                List.of(), List.of(), List.of())))
                .hasMessageContaining("final tags of ann differ (missing [lifecycle:prospect]");
        assertThatThrownBy(() -> ScenarioVerifier.verify(s, outcome(List.of(TRIGGER.formatted(1773138600000L)),
                List.of(TAG), List.of(PROFILE), List.of(dead))))
                .hasMessageContaining("dead letters differ (expected 0, got 1)")
                .hasMessageContaining("raw: \"not json\"");
    }

    @Test
    void failsWhenTagChangesDoNotFoldOrDisagreeWithTheProfile() throws Exception {
        Scenario s = Scenario.parse("s.yaml", SCENARIO);
        String trigger = TRIGGER.formatted(1773138600000L);

        assertThatThrownBy(() -> ScenarioVerifier.verify(s, outcome(List.of(trigger), List.of(TAG, TAG),
                List.of(PROFILE), List.of())))
                .hasMessageContaining("tags.jsonl does not fold");
        assertThatThrownBy(() -> ScenarioVerifier.verify(s, outcome(List.of(trigger), List.of(TAG),
                List.of("{\"userId\":\"ann\",\"tags\":[]}"), List.of())))
                .hasMessageContaining("but the last profile says []");
    }

    @Test
    void aDecimalIsAsPreciseAsWritten() throws Exception {
        Scenario s = Scenario.parse("s.yaml", SCENARIO.replace("intent: 3.97", "intent: 3.970"));
        assertThat(s.expect().triggers().get(0).at("/facts/scores/intent").decimalValue().scale()).isEqualTo(3);
        assertThat(RecordMatcher.decimalMatches(new BigDecimal("3.97"), 3.9722)).isTrue();
        assertThat(RecordMatcher.decimalMatches(new BigDecimal("3.97"), 3.9649)).isFalse();
        assertThat(RecordMatcher.decimalMatches(new BigDecimal("3.970"), 3.9722)).isFalse();
        assertThat(RecordMatcher.decimalMatches(new BigDecimal("99"), 99.0)).isTrue();
        assertThat(RecordMatcher.decimalMatches(new BigDecimal("99"), 99.004)).isFalse();
    }

    private static ScenarioRunner.Outcome outcome(List<String> triggers, List<String> tags, List<String> profiles,
                                                  List<String> dead) throws Exception {
        return new ScenarioRunner.Outcome(nodes(triggers), nodes(tags), nodes(profiles), nodes(dead));
    }

    private static List<JsonNode> nodes(List<String> lines) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }
}
