package dev.pond.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay's input: files merged by event time, each keeping its own line order; blank lines
 * skipped, Windows line ends accepted, bad lines (even bytes that are not UTF-8) become dead
 * letters with their line number instead of stopping the replay; a restore skips what was sent.
 */
class MergedEventFilesTest {

    private static final long NOW = 1_800_000_000_000L;

    @Test
    void mergesByEventTimeKeepingEachFilesOrderAndTurnsBadLinesIntoDeadLetters(@TempDir Path dir) throws Exception {
        Path clicks = dir.resolve("clicks.jsonl");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(click("c1", 1000).getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("\r\n\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(click("c3", 3000).getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'{', (byte) 0xc3, '}', '\n'});
        bytes.writeBytes(click("c2", 2000).getBytes(StandardCharsets.UTF_8)); // late within its file, no newline at the end
        Files.write(clicks, bytes.toByteArray());
        Path orders = Files.writeString(dir.resolve("orders.jsonl"),
                order("o1", 2500) + "\n" + order("o2", 500) + "\n");

        List<String> seen = new ArrayList<>();
        try (MergedEventFiles events = new MergedEventFiles(List.of(
                new MergedEventFiles.Input(EventKind.CLICK, clicks.toString()),
                new MergedEventFiles.Input(EventKind.ORDER, orders.toString())), 0, NOW)) {
            while (events.hasNext()) {
                seen.add(describe(events.next()));
            }
        }

        // Heads compete by time: c1 (1000) beats o1 (2500); o1 beats c3 (3000); then o2 (500), which
        // waited behind o1 in its file, is the earliest head. The bad line (line 4, after a blank
        // line 2) goes as soon as it is a head, ahead of c2, which follows it in the file.
        assertThat(seen).containsExactly("c1", "o1", "o2", "c3",
                "dead letter clicks.jsonl:4 undecodable: the line is not UTF-8", "c2");
    }

    @Test
    void aRestoreSkipsTheEventsAlreadyEmitted(@TempDir Path dir) throws Exception {
        Path clicks = Files.writeString(dir.resolve("clicks.jsonl"),
                click("c1", 1000) + "\n" + click("c2", 2000) + "\n" + click("c3", 3000) + "\n");
        List<MergedEventFiles.Input> inputs = List.of(new MergedEventFiles.Input(EventKind.CLICK, clicks.toString()));

        try (MergedEventFiles events = new MergedEventFiles(inputs, 2, NOW)) {
            assertThat(events.emitted()).isEqualTo(2);
            assertThat(describe(events.next())).isEqualTo("c3");
            assertThat(events.hasNext()).isFalse();
        }
    }

    private static String describe(Inbound in) {
        if (in.isDeadLetter()) {
            return "dead letter " + in.deadLetter.getSourceTopic() + ":" + in.deadLetter.getOffset() + " "
                    + in.deadLetter.getError();
        }
        return in.click != null ? in.click.getEventId() : in.order.getEventId();
    }

    private static String click(String id, long ts) {
        return "{\"eventId\":\"" + id + "\",\"userId\":\"u1\",\"ts\":" + ts + ",\"type\":\"PAGE_VIEW\"}";
    }

    private static String order(String id, long ts) {
        return "{\"eventId\":\"" + id + "\",\"orderId\":\"" + id + "\",\"userId\":\"u1\",\"ts\":" + ts
                + ",\"status\":\"PAID\",\"total\":10.0}";
    }
}
