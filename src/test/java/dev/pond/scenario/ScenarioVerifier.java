package dev.pond.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pond.out.DeadLetter;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import org.apache.avro.Schema;
import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks what a replay wrote against a scenario's expectations and, if anything differs, fails
 * with one message that tells the story, shows every difference as a line diff ({@code -}
 * expected, {@code +} actual, seen through the expected fields) and lists what the replay wrote.
 *
 * <p>A user's final tags are the tag changes of {@code tags.jsonl} folded in order (what a
 * marketing system consuming the topic would hold). Whatever the scenario expects, the tag changes
 * must fold cleanly (no tag added twice or removed while absent) and agree with each user's last
 * profile.
 */
final class ScenarioVerifier {

    private final Scenario scenario;
    private final ScenarioRunner.Outcome outcome;
    private final List<String> problems = new ArrayList<>();
    private final StringBuilder expectedText = new StringBuilder();
    private final StringBuilder actualText = new StringBuilder();

    private ScenarioVerifier(Scenario scenario, ScenarioRunner.Outcome outcome) {
        this.scenario = scenario;
        this.outcome = outcome;
    }

    /** Throws an {@link AssertionFailedError} describing every way {@code outcome} misses {@code scenario}. */
    static void verify(Scenario scenario, ScenarioRunner.Outcome outcome) {
        new ScenarioVerifier(scenario, outcome).run();
    }

    private void run() {
        Scenario.Expect expect = scenario.expect();
        list("triggers", expect.triggers(), outcome.triggers(), Trigger.getClassSchema());
        Map<String, TreeSet<String>> tags = foldTags();
        if (expect.tags() != null) {
            expect.tags().forEach((user, want) -> tags(user, new TreeSet<>(want),
                    tags.getOrDefault(user, new TreeSet<>())));
        }
        if (expect.tagChanges() != null) {
            list("tag changes", expect.tagChanges(), outcome.tagChanges(), TagChange.getClassSchema());
        }
        if (expect.profiles() != null) {
            expect.profiles().forEach(this::profile);
        }
        list("dead letters", expect.deadLetters(), outcome.deadLetters(), DeadLetter.getClassSchema());
        tagsAgreeWithProfiles(tags);
        if (!problems.isEmpty()) {
            throw new AssertionFailedError(message(), expectedText.toString(), actualText.toString());
        }
    }

    /** Expected and actual lists of one output file, aligned on the longest run of matching lines. */
    private void list(String what, List<JsonNode> expected, List<JsonNode> actual, Schema schema) {
        int n = expected.size();
        int m = actual.size();
        boolean[][] match = new boolean[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                match[i][j] = expected.get(i).equals(RecordMatcher.project(expected.get(i), actual.get(j), schema));
            }
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = match[i][j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> diff = new ArrayList<>();
        boolean differs = false;
        int i = 0;
        int j = 0;
        List<JsonNode> gapE = new ArrayList<>();
        List<JsonNode> gapA = new ArrayList<>();
        while (i < n || j < m) {
            if (i < n && j < m && match[i][j] && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
                differs |= gap(diff, gapE, gapA, schema);
                String line = FlowText.of(expected.get(i));
                diff.add("    " + line);
                expectedText.append(line).append('\n');
                actualText.append(line).append('\n');
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                gapA.add(actual.get(j++));
            } else {
                gapE.add(expected.get(i++));
            }
        }
        differs |= gap(diff, gapE, gapA, schema);
        if (differs) {
            problems.add(what + " differ (expected " + n + ", got " + m + "):\n" + String.join("\n", diff));
        }
    }

    /** Writes out a run of unmatched lines, pairing them in order; true if there were any. */
    private boolean gap(List<String> diff, List<JsonNode> gapE, List<JsonNode> gapA, Schema schema) {
        boolean any = !gapE.isEmpty() || !gapA.isEmpty();
        for (int k = 0; k < Math.max(gapE.size(), gapA.size()); k++) {
            if (k < gapE.size()) {
                String line = FlowText.of(gapE.get(k));
                diff.add("  - " + line);
                expectedText.append(line).append('\n');
            }
            if (k < gapA.size()) {
                JsonNode shown = k < gapE.size()
                        ? RecordMatcher.project(gapE.get(k), gapA.get(k), schema)
                        : RecordMatcher.display(gapA.get(k), schema);
                String line = FlowText.of(shown);
                diff.add("  + " + line);
                actualText.append(line).append('\n');
            }
        }
        gapE.clear();
        gapA.clear();
        return any;
    }

    private void tags(String user, TreeSet<String> want, TreeSet<String> got) {
        expectedText.append("tags of ").append(user).append(": ").append(want).append('\n');
        actualText.append("tags of ").append(user).append(": ").append(got).append('\n');
        if (!want.equals(got)) {
            TreeSet<String> missing = new TreeSet<>(want);
            missing.removeAll(got);
            TreeSet<String> unexpected = new TreeSet<>(got);
            unexpected.removeAll(want);
            problems.add("final tags of " + user + " differ (missing " + missing + ", unexpected " + unexpected
                    + "):\n  - " + want + "\n  + " + got);
        }
    }

    private void profile(String user, JsonNode want) {
        JsonNode last = lastProfile(user);
        String expected = FlowText.of(want);
        String actual = last == null ? "(no profile)" : FlowText.of(RecordMatcher.project(want, last, Profile.getClassSchema()));
        expectedText.append("profile of ").append(user).append(": ").append(expected).append('\n');
        actualText.append("profile of ").append(user).append(": ").append(actual).append('\n');
        if (!expected.equals(actual)) {
            problems.add("last profile of " + user + " differs:\n  - " + expected + "\n  + " + actual);
        }
    }

    private JsonNode lastProfile(String user) {
        for (JsonNode p : outcome.profiles()) {
            if (p.get("userId").asText().equals(user)) {
                return p;
            }
        }
        return null;
    }

    /** Each user's tags after applying the tag changes in order; a change that does not fit is a problem. */
    private Map<String, TreeSet<String>> foldTags() {
        Map<String, TreeSet<String>> tags = new TreeMap<>();
        for (JsonNode c : outcome.tagChanges()) {
            String user = c.get("userId").asText();
            String tag = c.get("tag").asText();
            TreeSet<String> set = tags.computeIfAbsent(user, u -> new TreeSet<>());
            boolean applied = c.get("change").asText().equals("ADDED") ? set.add(tag) : set.remove(tag);
            if (!applied) {
                problems.add("tags.jsonl does not fold: " + FlowText.of(RecordMatcher.display(c, TagChange.getClassSchema()))
                        + " (the user's tags were " + set + ")");
            }
        }
        return tags;
    }

    private void tagsAgreeWithProfiles(Map<String, TreeSet<String>> tags) {
        TreeSet<String> users = new TreeSet<>(tags.keySet());
        outcome.profiles().forEach(p -> users.add(p.get("userId").asText()));
        for (String user : users) {
            JsonNode last = lastProfile(user);
            TreeSet<String> folded = tags.getOrDefault(user, new TreeSet<>());
            TreeSet<String> profiled = new TreeSet<>();
            if (last != null) {
                last.get("tags").forEach(t -> profiled.add(t.asText()));
            }
            if (last == null || !folded.equals(profiled)) {
                problems.add("tags.jsonl folds to " + folded + " for " + user + " but the last profile says "
                        + (last == null ? "nothing (no profile)" : profiled));
            }
        }
    }

    private String message() {
        StringBuilder m = new StringBuilder();
        m.append("Scenario ").append(scenario.name()).append(" failed.\n");
        m.append("Story: ").append(scenario.story().strip()).append("\n\n");
        for (String p : problems) {
            m.append(p).append("\n\n");
        }
        m.append("(\"  - \" expected but not written, \"  + \" written instead, seen through the expected fields)\n\n");
        m.append("What the replay wrote:\n");
        section(m, "triggers.jsonl", outcome.triggers(), Trigger.getClassSchema());
        section(m, "tags.jsonl", outcome.tagChanges(), TagChange.getClassSchema());
        section(m, "profiles.jsonl", outcome.profiles(), Profile.getClassSchema());
        section(m, "deadletter.jsonl", outcome.deadLetters(), DeadLetter.getClassSchema());
        return m.toString();
    }

    private static void section(StringBuilder m, String file, List<JsonNode> lines, Schema schema) {
        m.append(file).append(lines.isEmpty() ? " (empty)\n" : "\n");
        for (JsonNode line : lines) {
            m.append("  ").append(FlowText.of(RecordMatcher.display(line, schema))).append('\n');
        }
    }
}
