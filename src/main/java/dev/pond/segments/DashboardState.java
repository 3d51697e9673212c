package dev.pond.segments;

import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.Trigger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard draws, built from the records of the output topics: each segment's members
 * over time with the latest entered and exited, triggers by type in all and per hour of firing
 * time, and the latest sleeping-share alert. {@link #snapshot()} is the JSON-ready view the page
 * receives. Thread-safe: a Kafka reader adds, the HTTP server reads.
 */
public final class DashboardState implements OutputView {

    /** Points kept per segment: a day of minutes that changed. */
    static final int MAX_POINTS = 1_440;
    private static final long HOUR = 3_600_000L;

    private final Map<String, List<long[]>> series = new TreeMap<>(); // {windowEnd, members}
    private final Map<String, long[]> latest = new TreeMap<>(); // {members, entered, exited, windowEnd}
    private final Map<String, Long> triggers = new TreeMap<>();
    private final Map<Long, Map<String, Long>> triggersPerHour = new TreeMap<>();
    private SegmentAlert alert;
    private long version;

    @Override
    public synchronized void add(SegmentCount c) {
        List<long[]> points = series.computeIfAbsent(c.getSegment(), k -> new ArrayList<>());
        points.add(new long[] {c.getWindowEnd().toEpochMilli(), c.getMembers()});
        if (points.size() > MAX_POINTS) {
            points.remove(0);
        }
        latest.put(c.getSegment(), new long[] {c.getMembers(), c.getEntered(), c.getExited(),
                c.getWindowEnd().toEpochMilli()});
        version++;
    }

    @Override
    public synchronized void add(Trigger t) {
        triggers.merge(t.getType().name(), 1L, Long::sum);
        long hour = Math.floorDiv(t.getFiredAt().toEpochMilli(), HOUR) * HOUR;
        triggersPerHour.computeIfAbsent(hour, h -> new TreeMap<>()).merge(t.getType().name(), 1L, Long::sum);
        while (triggersPerHour.size() > 168) {
            triggersPerHour.remove(triggersPerHour.keySet().iterator().next());
        }
        version++;
    }

    @Override
    public synchronized void add(SegmentAlert a) {
        alert = a;
        version++;
    }

    /** Grows with every record added: the server sends a new snapshot when it moved. */
    public synchronized long version() {
        return version;
    }

    /** Everything the page shows, as maps and lists that Jackson writes as JSON. */
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        List<Map<String, Object>> segments = new ArrayList<>();
        latest.forEach((segment, l) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("segment", segment);
            row.put("members", l[0]);
            row.put("entered", l[1]);
            row.put("exited", l[2]);
            row.put("windowEnd", l[3]);
            row.put("series", series.get(segment));
            segments.add(row);
        });
        s.put("segments", segments);
        s.put("triggers", new TreeMap<>(triggers));
        List<Map<String, Object>> hours = new ArrayList<>();
        triggersPerHour.forEach((hour, byType) -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("hour", hour);
            h.put("byType", new TreeMap<>(byType));
            hours.add(h);
        });
        s.put("triggersPerHour", hours);
        if (alert != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("raised", alert.getRaised());
            a.put("share", alert.getShare());
            a.put("threshold", alert.getThreshold());
            a.put("windowEnd", alert.getWindowEnd().toEpochMilli());
            s.put("alert", a);
        }
        long active = latest.containsKey(SleepingShareWatch.ACTIVE) ? latest.get(SleepingShareWatch.ACTIVE)[0] : 0;
        long sleeping = latest.containsKey(SleepingShareWatch.SLEEPING) ? latest.get(SleepingShareWatch.SLEEPING)[0] : 0;
        s.put("sleepingShare", active + sleeping == 0 ? null : sleeping / (double) (active + sleeping));
        return s;
    }
}
