package dev.pond.demo;

import dev.pond.model.ModelLoader;
import dev.pond.out.TriggerType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick start's demo, as {@code java -jar target/pond.jar demo} runs it (its own embedded
 * broker and local Flink, nothing shared with other tests), for a short while: the live view shows
 * events flowing, dead letters, segments, a count for every trigger type and the latest triggers,
 * and the demo stops cleanly by itself.
 */
class DemoIT {

    private static final Pattern IN = Pattern.compile("in: [\\d,.]+ events/s \\(([\\d,]+) so far\\)\\s+dead letters: ([\\d,]+)");
    private static final Pattern TRIGGERS = Pattern.compile("(?m)^triggers ([\\d,]+)$");
    private static final Pattern REMINDERS = Pattern.compile("(?m)^  CART_ABANDONED +([\\d,]+)$");
    private static final Pattern LATEST = Pattern.compile(
            "(?m)^latest triggers\n  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  u\\d{6}  [A-Z_]+.*\n      \\S");

    @Test
    void theDemoScoresTheSimulatedShopLiveAndStopsCleanly() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        DemoRunner demo = new DemoRunner(new DemoRunner.Settings(300, 42, Duration.ofDays(20), 2 * 86_400.0,
                Duration.ofSeconds(30), 0, Duration.ofSeconds(1), 0.01, 0), ModelLoader.defaults(), out);

        demo.run();

        String text = buffer.toString(StandardCharsets.UTF_8);
        List<String> frames = List.of(text.split("Pond demo: "));
        String last = frames.get(frames.size() - 1);
        assertThat(text).contains("Starting Kafka ...", "Stopping ...", "Stopped.").contains(", dashboard at http://localhost:");
        assertThat(number(IN, last, 1)).as("events published").isGreaterThan(1_000);
        assertThat(number(IN, last, 2)).as("dead letters seen").isPositive();
        assertThat(number(TRIGGERS, last, 1)).as("triggers seen").isPositive();
        assertThat(number(REMINDERS, last, 1)).as("cart reminders seen").isPositive();
        for (TriggerType type : TriggerType.values()) {
            assertThat(last).as("a count line for %s", type).containsPattern("(?m)^  " + type + " +[\\d,]+$");
        }
        assertThat(last).containsPattern("lifecycle\\s+.*prospect [\\d,]+").containsPattern(LATEST);
    }

    private static long number(Pattern p, String text, int group) {
        Matcher m = p.matcher(text);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(group).replace(",", ""));
        }
        assertThat(last).as("%s in %s", p, text).isNotNegative();
        return last;
    }
}
