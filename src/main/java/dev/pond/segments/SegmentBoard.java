package dev.pond.segments;

import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.Trigger;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code pond watch} shows, as plain text: every segment's members now, the change since the
 * last frame and a small trend of the last frames; triggers by type, in all and since the last
 * frame; and the sleeping share with its alert. Fed with the records of the output topics; each
 * {@link #frame()} draws one view and starts the next interval. Plain Java, so it is tested
 * without Kafka.
 */
public final class SegmentBoard implements OutputView {

    /** How many frames the trend shows. */
    static final int TREND = 16;
    private static final String BARS = "▁▂▃▄▅▆▇█";

    private final Map<String, Long> members = new TreeMap<>();
    private final Map<String, Deque<Long>> trends = new TreeMap<>();
    private final Map<String, Long> lastFrame = new TreeMap<>();
    private final Map<String, long[]> triggers = new TreeMap<>(); // {in all, since the last frame}
    private Instant asOf;
    private SegmentAlert alert;

    @Override
    public void add(SegmentCount c) {
        members.put(c.getSegment(), c.getMembers());
        if (asOf == null || c.getWindowEnd().isAfter(asOf)) {
            asOf = c.getWindowEnd();
        }
    }

    @Override
    public void add(Trigger t) {
        long[] n = triggers.computeIfAbsent(t.getType().name(), k -> new long[2]);
        n[0]++;
        n[1]++;
    }

    @Override
    public void add(SegmentAlert a) {
        alert = a;
    }

    /** One view of everything seen so far; the next frame's changes count from here. */
    public String frame() {
        StringBuilder s = new StringBuilder();
        s.append("segments").append(asOf == null ? " (no counts yet)" : " at " + asOf + " (event time)").append('\n');
        String family = null;
        for (Map.Entry<String, Long> e : members.entrySet()) {
            String segment = e.getKey();
            long now = e.getValue();
            Deque<Long> trend = trends.computeIfAbsent(segment, k -> new ArrayDeque<>());
            trend.addLast(now);
            if (trend.size() > TREND) {
                trend.removeFirst();
            }
            Long before = lastFrame.put(segment, now);
            if (now == 0 && (before == null || before == 0)) {
                continue; // a segment that emptied and stays empty
            }
            String f = segment.substring(0, segment.indexOf(':') + 1);
            if (!f.equals(family)) {
                family = f;
                s.append('\n');
            }
            s.append(String.format(Locale.ROOT, "  %-28s %,9d %8s  %s%n", segment, now,
                    before == null ? "new" : String.format(Locale.ROOT, "%+,d", now - before), spark(trend)));
        }
        long active = members.getOrDefault(SleepingShareWatch.ACTIVE, 0L);
        long sleeping = members.getOrDefault(SleepingShareWatch.SLEEPING, 0L);
        if (active + sleeping > 0) {
            s.append(String.format(Locale.ROOT, "%nsleeping share %.1f%% (%,d of %,d active or sleeping)", 100.0 * sleeping
                    / (active + sleeping), sleeping, active + sleeping));
            if (alert != null) {
                s.append(String.format(Locale.ROOT, "  ALERT %s at %s: %s %.0f%%", alert.getRaised() ? "raised" : "cleared",
                        alert.getWindowEnd(), alert.getRaised() ? "above" : "back to or under",
                        100 * alert.getThreshold()));
            }
            s.append('\n');
        }
        s.append("\ntriggers                      in all  since last\n");
        if (triggers.isEmpty()) {
            s.append("  (none yet)\n");
        }
        for (Map.Entry<String, long[]> e : triggers.entrySet()) {
            s.append(String.format(Locale.ROOT, "  %-24s %,9d %+,10d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
            e.getValue()[1] = 0;
        }
        return s.toString();
    }

    /** The values as bars from the lowest to the highest of them; all level when they are equal. */
    static String spark(Iterable<Long> values) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        StringBuilder s = new StringBuilder();
        for (long v : values) {
            int i = max == min ? 0 : (int) Math.round((v - min) * (BARS.length() - 1) / (double) (max - min));
            s.append(BARS.charAt(i));
        }
        return s.toString();
    }
}
