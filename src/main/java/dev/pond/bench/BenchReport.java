package dev.pond.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code pond bench} found, as the Markdown table for people and the JSON for tools, with
 * the machine it ran on and each target beside what was measured.
 *
 * @param machine where it ran
 * @param settings what it ran with
 * @param phases the throughput phases: A, B, K, C, D and C-small
 * @param retag the re-tag at the end of phase C, or null
 * @param latency the latency runs
 * @param state stored state per user after phase C
 */
record BenchReport(Map<String, Object> machine, Map<String, Object> settings, List<Throughput> phases,
                   FlinkRun.Retag retag, List<LatencyRun.Result> latency, StateSizes state) {

    /** One target of the issue, and whether this run met it. */
    record Target(String name, String goal, String measured, boolean met) {}

    Throughput phase(String id) {
        return phases.stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
    }

    /** C/phase: how close the full job runs to a baseline (NaN when either did not run). */
    double ratio(String numerator, String denominator) {
        Throughput a = phase(numerator);
        Throughput b = phase(denominator);
        return a == null || b == null ? Double.NaN : a.eventsPerSecond() / b.eventsPerSecond();
    }

    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        double cb = ratio("C", "B");
        if (!Double.isNaN(cb)) {
            targets.add(new Target("full job / Flink decode-only (C/B)", "≥ 0.15", fmt("%.2f", cb), cb >= 0.15));
        }
        double ck = ratio("C", "K");
        if (!Double.isNaN(ck)) {
            targets.add(new Target("full job / one state access per event (C/K)", "≥ 0.80", fmt("%.2f", ck), ck >= 0.8));
        }
        if (state != null) {
            targets.add(new Target("stored UserState, median user", "≤ 300 B", state.medianBytes() + " B",
                    state.medianBytes() <= 300));
        }
        for (LatencyRun.Result r : latency) {
            if (r.delivery() == dev.pond.job.JobOptions.Delivery.AT_LEAST_ONCE) {
                targets.add(new Target("p99 latency, at least once, read_uncommitted", "< 500 ms",
                        r.p99Millis() + " ms", r.p99Millis() < 500));
            } else {
                long limit = r.checkpointIntervalMillis() + 1000;
                targets.add(new Target("p99 latency, exactly once, read_committed",
                        "≤ checkpoint interval + 1 s = " + limit + " ms", r.p99Millis() + " ms", r.p99Millis() <= limit));
            }
        }
        double scaled = ratio("C", Bench.SMALL);
        if (!Double.isNaN(scaled)) {
            targets.add(new Target("throughput with " + settings.get("scaleFactor") + "× the users (C / " + Bench.SMALL + ")",
                    "≥ 0.80 (falls < 20 %)", fmt("%.2f", scaled), scaled >= 0.8));
        }
        return targets;
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("bench.md"), markdown());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("bench.json").toFile(), json());
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Pond bench\n\n");
        md.append("Machine: ").append(machine.get("cores")).append(" cores, ")
                .append(mib((Long) machine.get("memoryBytes"))).append(" memory, Java ").append(machine.get("java"))
                .append(", Flink ").append(machine.get("flink")).append(". ");
        md.append("Data: ").append(settings.get("events")).append(" events of ").append(settings.get("users"))
                .append(" users (seed ").append(settings.get("seed")).append("), parallelism ")
                .append(settings.get("parallelism")).append(", managed memory ").append(settings.get("managedMemory"))
                .append(". Each phase is timed after a warm-up of its first ")
                .append(Math.round(FlinkRun.WARM_UP * 100)).append(" % of the events");
        if (phase(Bench.COLD) != null) {
            md.append(", in a JVM that has run the Pond job once before them (").append(Bench.COLD).append(")");
        }
        md.append(". JIT s: the JIT compiler's time compiling in the timed part, summed over its threads.\n\n");
        md.append("| Phase | What | Events | Seconds | Events/s | Events/s per core | CPU µs per event | JIT s | Live heap (peak) | Process RSS (peak) | Checkpoints (n, mean, max) |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Throughput t : phases) {
            Throughput.Checkpoints c = t.checkpoints();
            md.append("| ").append(t.id()).append(" | ").append(t.what()).append(" | ").append(t.events())
                    .append(" | ").append(fmt("%.1f", t.seconds())).append(" | ").append(fmt("%,.0f", t.eventsPerSecond()))
                    .append(" | ").append(fmt("%,.0f", t.eventsPerSecondPerCore())).append(" | ")
                    .append(fmt("%.1f", t.cpuMicrosPerEvent())).append(" | ").append(fmt("%.1f", t.jitSeconds())).append(" | ")
                    .append(mib(t.heapPeakBytes())).append(" | ").append(mib(t.rssPeakBytes())).append(" | ")
                    .append(c == null ? "–" : c.completed() + ", " + fmt("%.0f", c.meanMillis()) + " ms, "
                            + c.maxMillis() + " ms (last " + kib(c.lastSizeBytes()) + " of " + kib(c.lastFullSizeBytes()) + ")")
                    .append(" |\n");
        }
        md.append("\n| Phase | Timers fired (cart / review / release / intent) | Timers set / deleted | Profiles | Tag changes | Triggers | State reads |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (Throughput t : phases) {
            Throughput.Work w = t.work();
            if (w != null) {
                StringBuilder kinds = new StringBuilder();
                w.timersByKindPerEvent().values().forEach(v -> kinds.append(kinds.length() == 0 ? "" : " / ")
                        .append(fmt("%.3f", v)));
                md.append("| ").append(t.id()).append(" | ").append(fmt("%.3f", w.timersPerEvent())).append(" (")
                        .append(kinds).append(") | ")
                        .append(fmt("%.3f", w.timersSetPerEvent())).append(" / ")
                        .append(fmt("%.3f", w.timersDeletedPerEvent())).append(" | ")
                        .append(fmt("%.3f", w.profilesPerEvent())).append(" | ").append(fmt("%.3f", w.tagChangesPerEvent()))
                        .append(" | ").append(fmt("%.3f", w.triggersPerEvent())).append(" | ")
                        .append(fmt("%.3f", w.stateReadsPerEvent())).append(" |\n");
            }
        }
        md.append("\n(per input event, in the scoring operator)\n");
        md.append("\nRatios: C/A = ").append(fmt("%.2f", ratio("C", "A"))).append(", C/B = ")
                .append(fmt("%.2f", ratio("C", "B"))).append(", C/K = ").append(fmt("%.2f", ratio("C", "K")))
                .append(", K/B = ").append(fmt("%.2f", ratio("K", "B"))).append(", D/C = ")
                .append(fmt("%.2f", ratio("D", "C")));
        if (phase(Bench.UNBUNDLED) != null) {
            md.append(", C/").append(Bench.UNBUNDLED).append(" = ").append(fmt("%.2f", ratio("C", Bench.UNBUNDLED)));
        }
        if (phase(Bench.SMALL) != null) {
            md.append(", C/").append(Bench.SMALL).append(" = ").append(fmt("%.2f", ratio("C", Bench.SMALL)));
        }
        if (phase(Bench.COLD) != null) {
            md.append(", C/").append(Bench.COLD).append(" = ").append(fmt("%.2f", ratio("C", Bench.COLD)));
        }
        md.append(".\n");
        if (retag != null) {
            md.append("\nRe-tag at the end of phase C (`publish-model --retag`): ").append(fmt("%,.0f", retag.users()))
                    .append(" users in ").append(fmt("%.1f", retag.seconds())).append(" s from publishing, ")
                    .append(fmt("%,.0f", retag.usersPerSecond())).append(" users/s; the longest subtask took no input for ")
                    .append(fmt("%,.0f", retag.subtaskMillis())).append(" ms.\n");
        }
        if (!latency.isEmpty()) {
            md.append("\n| Latency run | Input rate (asked / produced) | Outputs timed | p50 | p99 | max |\n");
            md.append("|---|---:|---:|---:|---:|---:|\n");
            for (LatencyRun.Result r : latency) {
                md.append("| ").append(r.delivery() == dev.pond.job.JobOptions.Delivery.EXACTLY_ONCE
                                ? "exactly once, read_committed (checkpoint every " + r.checkpointIntervalMillis() + " ms)"
                                : "at least once, read_uncommitted")
                        .append(" | ").append(fmt("%,.0f", r.targetRate())).append(" / ").append(fmt("%,.0f", r.achievedRate()))
                        .append(" | ").append(r.outputs()).append(" | ").append(r.p50Millis()).append(" ms | ")
                        .append(r.p99Millis()).append(" ms | ").append(r.maxMillis()).append(" ms |\n");
            }
        }
        if (state != null) {
            md.append("\nStored `UserState` after phase C (").append(state.users()).append(" users): mean ")
                    .append(fmt("%.0f", state.meanBytes())).append(" B, median ").append(state.medianBytes())
                    .append(" B, p99 ").append(state.p99Bytes()).append(" B, max ").append(state.maxBytes())
                    .append(" B. The mean by field, largest first: ");
            StringBuilder fields = new StringBuilder();
            state.meanBytesByField().entrySet().stream().limit(8).forEach(e -> fields.append(fields.length() == 0 ? "" : ", ")
                    .append('`').append(e.getKey()).append("` ").append(fmt("%.0f", e.getValue())).append(" B"));
            md.append(fields).append(".\n");
        }
        md.append("\n| Target | Goal | Measured | |\n|---|---|---|---|\n");
        for (Target t : targets()) {
            md.append("| ").append(t.name()).append(" | ").append(t.goal()).append(" | ").append(t.measured())
                    .append(" | ").append(t.met() ? "met" : "**missed**").append(" |\n");
        }
        return md.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("settings", settings);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Throughput t : phases) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("phase", t.id());
            row.put("what", t.what());
            row.put("events", t.events());
            row.put("processed", t.processed());
            row.put("seconds", t.seconds());
            row.put("eventsPerSecond", t.eventsPerSecond());
            row.put("eventsPerSecondPerCore", t.eventsPerSecondPerCore());
            row.put("cores", t.cores());
            row.put("cpuMicrosPerEvent", t.cpuMicrosPerEvent());
            row.put("jitSeconds", t.jitSeconds());
            row.put("heapPeakBytes", t.heapPeakBytes());
            row.put("rssPeakBytes", t.rssPeakBytes());
            row.put("checkpoints", t.checkpoints());
            row.put("perEvent", t.work());
            rows.add(row);
        }
        json.put("phases", rows);
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("C/A", ratio("C", "A"));
        ratios.put("C/B", ratio("C", "B"));
        ratios.put("C/K", ratio("C", "K"));
        ratios.put("K/B", ratio("K", "B"));
        ratios.put("D/C", ratio("D", "C"));
        ratios.put("C/" + Bench.UNBUNDLED, ratio("C", Bench.UNBUNDLED));
        ratios.put("C/" + Bench.SMALL, ratio("C", Bench.SMALL));
        ratios.put("C/" + Bench.COLD, ratio("C", Bench.COLD));
        ratios.values().removeIf(v -> ((Double) v).isNaN());
        json.put("ratios", ratios);
        if (retag != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("users", retag.users());
            r.put("seconds", retag.seconds());
            r.put("usersPerSecond", retag.usersPerSecond());
            r.put("subtaskMillis", retag.subtaskMillis());
            json.put("retag", r);
        }
        json.put("latency", latency);
        json.put("userState", state);
        json.put("targets", targets());
        return json;
    }

    private static String fmt(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }

    private static String mib(long bytes) {
        return bytes <= 0 ? "–" : String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%,d KiB", bytes >> 10);
    }
}
