package dev.pond.demo;

import dev.pond.out.Trigger;
import dev.pond.out.TriggerType;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The console's trigger block: how many triggers of each type have been seen (every type of the
 * catalogue, in its order, zeros included, so the block does not jump about as types appear) and
 * the latest few by fired time, each with its whole reason on the lines below it (up to
 * {@link #REASON_LINES}, within the terminal's width). Constant work per
 * trigger: a counter and a list of at most {@link #LATEST} entries.
 */
final class TriggerSummary {

    static final int LATEST = 5;
    static final int WIDTH = 100;
    static final int REASON_LINES = 2;
    private static final String INDENT = "      ";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final Comparator<Trigger> NEWEST_FIRST = Comparator.comparing(Trigger::getFiredAt).reversed()
            .thenComparing(Trigger::getTriggerId);

    private final long[] counts = new long[TriggerType.values().length];
    private final List<Trigger> latest = new ArrayList<>(LATEST + 1);
    private long total;

    void add(Trigger t) {
        counts[t.getType().ordinal()]++;
        total++;
        int at = 0;
        while (at < latest.size() && NEWEST_FIRST.compare(latest.get(at), t) <= 0) {
            at++;
        }
        if (at < LATEST) {
            latest.add(at, t);
            if (latest.size() > LATEST) {
                latest.remove(LATEST);
            }
        }
    }

    /** Appends the block: a total, one line per type, then the latest triggers. */
    void appendTo(StringBuilder s) {
        s.append(String.format(Locale.ROOT, "triggers %,d\n", total));
        for (TriggerType type : TriggerType.values()) {
            s.append(String.format(Locale.ROOT, "  %-18s %,9d\n", type, counts[type.ordinal()]));
        }
        s.append("latest triggers\n");
        if (latest.isEmpty()) {
            s.append("  (none yet)\n");
        }
        for (Trigger t : latest) {
            s.append(flat(String.format(Locale.ROOT, "  %s  %s  %s%s", TIME.format(t.getFiredAt()), t.getUserId(),
                    t.getType(), t.getOffer() == null ? "" : "  offer " + t.getOffer().getCode()))).append('\n');
            for (String line : wrap(flat(t.getReason()))) {
                s.append(INDENT).append(line).append('\n');
            }
        }
    }

    /** Control characters (a newline in a reason) as spaces, so that a record cannot break the frame. */
    static String flat(String text) {
        return text.replaceAll("\\p{Cntrl}", " ");
    }

    /**
     * {@code text} in lines that fit the width after the indent, broken between words, at most
     * {@link #REASON_LINES}; what does not fit ends in "...".
     */
    static List<String> wrap(String text) {
        int room = WIDTH - INDENT.length();
        List<String> lines = new ArrayList<>(REASON_LINES);
        String rest = text.strip();
        while (!rest.isEmpty() && lines.size() < REASON_LINES) {
            if (rest.length() <= room) {
                lines.add(rest);
                return lines;
            }
            int cut = rest.lastIndexOf(' ', room);
            cut = cut <= 0 ? room : cut; // one word longer than the line: cut it
            lines.add(rest.substring(0, cut));
            rest = rest.substring(cut).strip();
        }
        if (!rest.isEmpty()) {
            String last = lines.remove(lines.size() - 1);
            lines.add((last.length() + 3 <= room ? last : last.substring(0, room - 3)) + "...");
        }
        return lines;
    }
}
