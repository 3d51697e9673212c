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
 * the latest few by fired time, one line each, cut to the terminal's width. Constant work per
 * trigger: a counter and a list of at most {@link #LATEST} entries.
 */
final class TriggerSummary {

    static final int LATEST = 5;
    static final int WIDTH = 100;

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
            s.append(fit(String.format(Locale.ROOT, "  %s  %s  %-17s %s", TIME.format(t.getFiredAt()),
                    t.getUserId(), t.getType(), t.getReason()))).append('\n');
        }
    }

    /** One terminal line: control characters (a newline in a reason) as spaces, cut with "...". */
    static String fit(String line) {
        String flat = line.replaceAll("\\p{Cntrl}", " ");
        return flat.length() <= WIDTH ? flat : flat.substring(0, WIDTH - 3) + "...";
    }
}
