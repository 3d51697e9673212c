package dev.pond.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link Backtest.Result} as Markdown (backtest.md), JSON (backtest.json) and a chart (triggers-per-day.svg). */
public final class BacktestReport {

    private BacktestReport() {}

    /** Writes the three files into {@code dir}. */
    public static void write(Backtest.Result result, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("backtest.md"), markdown(result), StandardCharsets.UTF_8);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("backtest.json").toFile(), json(result));
        Files.writeString(dir.resolve("triggers-per-day.svg"), svg(result), StandardCharsets.UTF_8);
    }

    /** The report in Markdown: per model a table of the trigger types, then the overlap. */
    public static String markdown(Backtest.Result r) {
        StringBuilder m = new StringBuilder();
        m.append("# Backtest\n\n");
        m.append(String.format(Locale.ROOT, "History %s to %s, %d users; a conversion is a paid order within %s "
                        + "after the user's first trigger of the type; the baseline is the same share for users "
                        + "in the same lifecycle stage at that moment whom the type never targeted.%n%n",
                r.from(), r.until(), r.users(), human(r.window())));
        long days = Math.max(1, r.until().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay()
                - r.from().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay() + 1);
        for (Backtest.Run run : r.runs()) {
            m.append("## ").append(run.name()).append(" (model ").append(run.version()).append(")\n\n");
            m.append("| Trigger | Sent | Per day (mean / max) | Deferred | Held back | Users | Converted | Baseline |\n");
            m.append("|---|---:|---:|---:|---|---:|---:|---:|\n");
            for (TriggerOutcomes.PerType t : run.types().values()) {
                int max = t.perDay().values().stream().mapToInt(Integer::intValue).max().orElse(0);
                m.append(String.format(Locale.ROOT, "| %s | %d | %.1f / %d | %d | %s | %d | %s | %s |%n",
                        t.type(), t.sent(), t.sent() / (double) days, max, t.deferred(), held(t.notSent()),
                        t.usersTargeted(), share(t.conversion(), t.usersConverted(), t.usersTargeted()),
                        share(t.baseline(), t.comparisonsConverted(), t.comparisons())));
            }
            m.append('\n');
        }
        if (!r.overlap().isEmpty()) {
            Backtest.Run a = r.runs().get(0);
            Backtest.Run b = r.runs().get(1);
            m.append("## Users targeted\n\n");
            m.append("| Trigger | ").append(a.name()).append(" | ").append(b.name()).append(" | both |\n");
            m.append("|---|---:|---:|---:|\n");
            r.overlap().forEach((type, o) -> m.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n",
                    type == null ? "any" : type, o.first(), o.second(), o.both())));
            m.append('\n');
        }
        m.append("![Triggers per day](triggers-per-day.svg)\n");
        return m.toString();
    }

    private static String held(Map<TriggerOutcome, Integer> notSent) {
        if (notSent.isEmpty()) {
            return "0";
        }
        List<String> parts = new ArrayList<>();
        notSent.forEach((o, n) -> parts.add(n + " " + o.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        return String.join(", ", parts);
    }

    private static String share(double share, long of, long in) {
        return Double.isNaN(share) ? "–" : String.format(Locale.ROOT, "%.1f%% (%d of %d)", 100 * share, of, in);
    }

    private static String human(java.time.Duration d) {
        return d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toHours() + " hours";
    }

    /** Everything in the Markdown, and the counts per day. */
    public static ObjectNode json(Backtest.Result r) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("from", r.from().toString()).put("until", r.until().toString()).put("users", r.users())
                .put("conversionWindowHours", r.window().toHours());
        ArrayNode runs = root.putArray("runs");
        for (Backtest.Run run : r.runs()) {
            ObjectNode jr = runs.addObject().put("name", run.name()).put("modelVersion", run.version());
            ObjectNode types = jr.putObject("triggers");
            for (TriggerOutcomes.PerType t : run.types().values()) {
                ObjectNode jt = types.putObject(t.type().name());
                jt.put("sent", t.sent()).put("deferred", t.deferred()).put("usersTargeted", t.usersTargeted())
                        .put("usersConverted", t.usersConverted()).put("comparisons", t.comparisons())
                        .put("comparisonsConverted", t.comparisonsConverted());
                putShare(jt, "conversion", t.conversion());
                putShare(jt, "baseline", t.baseline());
                ObjectNode held = jt.putObject("notSent");
                t.notSent().forEach((o, n) -> held.put(o.name(), n));
                ObjectNode perDay = jt.putObject("perDay");
                t.perDay().forEach((d, n) -> perDay.put(d.toString(), n));
            }
        }
        if (!r.overlap().isEmpty()) {
            ObjectNode overlap = root.putObject("usersTargeted");
            r.overlap().forEach((type, o) -> overlap.putObject(type == null ? "any" : type.name())
                    .put(r.runs().get(0).name(), o.first()).put(r.runs().get(1).name(), o.second())
                    .put("both", o.both()));
        }
        return root;
    }

    private static void putShare(ObjectNode node, String field, double share) {
        if (Double.isNaN(share)) {
            node.putNull(field);
        } else {
            node.put(field, share);
        }
    }

    /** Triggers sent per day, one line per model (every type together), as a self-contained SVG. */
    public static String svg(Backtest.Result r) {
        LocalDate first = LocalDate.ofInstant(r.from(), ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(r.until(), ZoneOffset.UTC);
        int days = (int) (last.toEpochDay() - first.toEpochDay()) + 1;
        List<int[]> series = new ArrayList<>();
        int max = 1;
        for (Backtest.Run run : r.runs()) {
            int[] perDay = new int[days];
            for (TriggerOutcomes.PerType t : run.types().values()) {
                t.perDay().forEach((d, n) -> {
                    int i = (int) (d.toEpochDay() - first.toEpochDay());
                    if (i >= 0 && i < days) {
                        perDay[i] += n;
                    }
                });
            }
            for (int n : perDay) {
                max = Math.max(max, n);
            }
            series.add(perDay);
        }
        int w = 720;
        int h = 240;
        int left = 40;
        int bottom = 30;
        int top = 30;
        double dx = days > 1 ? (w - left - 10) / (double) (days - 1) : 0;
        double dy = (h - bottom - top) / (double) max;
        String[] colours = {"#1f77b4", "#d62728"};
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", w, h));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\">Triggers sent per day (UTC), %s to %s</text>%n",
                left, first, last));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n",
                left, h - bottom, w - 10, h - bottom));
        s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">%d</text><text x=\"4\" y=\"%d\">0</text>%n",
                top + 4, max, h - bottom));
        for (int k = 0; k < series.size(); k++) {
            StringBuilder points = new StringBuilder();
            int[] perDay = series.get(k);
            for (int i = 0; i < days; i++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + i * dx, h - bottom - perDay[i] * dy));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
                    + "points=\"%s\"/>%n", colours[k % colours.length], points.toString().trim()));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n",
                    left + 200 * k, h - 8, colours[k % colours.length], escape(r.runs().get(k).name())));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

}
