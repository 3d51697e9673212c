package dev.pond.cli;

import dev.pond.Pond;
import dev.pond.model.ModelLoader;
import dev.pond.model.TriggerParams;
import dev.pond.testing.SyntheticCustomers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pond fit} on the command line: bad values are one line naming them (exit 2), a bad order
 * line is one line naming the file, line and value (exit 1), and a fit prints its tables without
 * progress noise for a small file.
 */
class FitCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Pond.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(out, true));
        return cmd.execute(args);
    }

    @Test
    void aBadCalibrationEndIsOneLineNamingIt() {
        int code = run("fit", "--orders", "o.csv", "--out", "m.yaml", "--calibration-end", "yesterday");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "fit: Invalid value for option '--calibration-end': 'yesterday' is not a date or an instant"
                        + " (ISO-8601, e.g. 1997-09-30 or 1997-09-30T12:00:00Z)",
                "Try 'pond fit --help' for the options.");
    }

    @Test
    void badOptionValuesAreRefused() {
        assertThat(run("fit", "--orders", "o.csv", "--out", "m.yaml", "--churn-model", "PARETO_NBD")).isEqualTo(2);
        assertThat(err.toString()).contains("'PARETO_NBD'", "BG_NBD, MBG_NBD").doesNotContain("\tat ");

        err.getBuffer().setLength(0);
        assertThat(run("fit", "--orders", "o.csv", "--out", "m.yaml", "--min-lift", "-1")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElseThrow())
                .isEqualTo("fit: the minimum lift must be a positive number, got -1.0");

        err.getBuffer().setLength(0);
        assertThat(run("fit", "--orders", "o.csv", "--out", "m.yaml", "--max-cycle-dispersion", "0")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElseThrow())
                .isEqualTo("fit: the maximum cycle dispersion must be a positive number, got 0.0");

        err.getBuffer().setLength(0);
        assertThat(run("fit", "--orders", "o.csv", "--out", "m.yaml", "--max-cycle-dispersion", "wide")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElseThrow())
                .isEqualTo("fit: Invalid value for option '--max-cycle-dispersion': 'wide' is not a double");

        err.getBuffer().setLength(0);
        assertThat(run("fit", "--orders", "o.csv", "--out", "m.yaml", "--min-support", "0")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElseThrow()).isEqualTo(
                "fit: the minimum gaps, minimum support and related categories per category must be at least 1");

        err.getBuffer().setLength(0);
        assertThat(run("fit", "--orders", "o.csv")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElseThrow())
                .isEqualTo("fit: Missing required option: '--out=MODEL'");
    }

    @Test
    void aBadOrderLineStopsTheFitInOneLine() throws IOException {
        Path orders = Files.writeString(tmp.resolve("bad.csv"),
                "user_id,order_time,total\nu1,2026-01-01,5\nu1,2026-01-09,abc\n");

        int code = run("fit", "--orders", orders.toString(), "--out", tmp.resolve("m.yaml").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines())
                .containsExactly("fit: " + orders + " line 3: 'abc' is not a total (a number, at least 0)");
        assertThat(tmp.resolve("m.yaml")).doesNotExist();
    }

    @Test
    void aFitPrintsItsTablesAndNoProgressForASmallFile() {
        Path orders = SyntheticCustomers.shopCsv(tmp.resolve("orders.csv"));
        Path model = tmp.resolve("m.yaml");

        int code = run("fit", "--orders", orders.toString(), "--out", model.toString());

        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        assertThat(model).exists();
        assertThat(out.toString()).contains(
                "read 7,024 lines (CSV) from orders.csv\n",
                "calibration end 2025-12-31: 2,000 customers, 7,023 purchases\n",
                "churn               r      alpha          a          b   log-likelihood  evaluations\n",
                "\nBG_NBD ", "\nMBG_NBD *",
                "value (Gamma-Gamma on 1,220 repeat customers): p ",
                "rfm cut points (20/40/60/80 % quantiles): recencyDays [67, 182, 230, 290]",
                "repurchase cycles (median days between purchase days of a category, per customer), for categories\n"
                        + "with at least 20 gaps and a dispersion (Q3 - Q1) / median of at most 1.25:\n"
                        + "  category                 gaps   median dispersion  cycle\n"
                        // The synthetic customers buy at random moments: no cycle.
                        + "  cake                    1,087     27.0       1.78  none: irregular\n",
                "  cake                 -> soap                 1.765\n",
                "  repeats     actual     BG_NBD    MBG_NBD\n",
                "  0              780 ",
                "  7+             205 ",
                "wrote " + model + " (version fit-2025-12-31, churn MBG_NBD) in ");
    }

    @Test
    void theCycleOptionsDecideWhichCategoriesGetACycleAndTheReportSaysWhy() throws IOException {
        Path orders = SyntheticCustomers.shopCsv(tmp.resolve("orders.csv"));
        Path model = tmp.resolve("m.yaml");

        // cake and soap have over 1,000 gaps, coffee 915 and tea 943; all spread 1.78 to 1.88.
        int code = run("fit", "--orders", orders.toString(), "--out", model.toString(),
                "--min-cycle-gaps", "1000", "--max-cycle-dispersion", "2");

        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        assertThat(out.toString()).contains(
                "with at least 1,000 gaps and a dispersion (Q3 - Q1) / median of at most 2.0:\n"
                        + "  category                 gaps   median dispersion  cycle\n"
                        + "  cake                    1,087     27.0       1.78  kept\n"
                        + "  coffee                    915     29.0       1.79  none: too few gaps\n"
                        + "  soap                    1,083     26.0       1.88  kept\n"
                        + "  tea                       943     29.0       1.88  none: too few gaps\n");
        assertThat(ModelLoader.load(model).categories().repurchaseDays())
                .containsExactly(Map.entry("cake", 27.0), Map.entry("soap", 26.0));
        assertThat(Files.readString(model)).contains("\n# Repurchase cycles for 2 of 4 categories (at least 1,000 gaps,"
                + " dispersion (Q3 - Q1) / median at most 2.0); none for coffee (too few gaps: 915 gaps, dispersion"
                + " 1.79), tea (too few gaps: 943 gaps, dispersion 1.88).\n");
    }

    /** Seeded shop history from {@code pond generate}: clicks, reads and orders of 400 users over 60 days. */
    private Path history() {
        Path dir = tmp.resolve("history");
        assertThat(run("generate", "--users", "400", "--days", "60", "--seed", "7", "--start",
                "2026-01-01T00:00:00Z", "--out", dir.toString())).isZero();
        out.getBuffer().setLength(0);
        return dir;
    }

    @Test
    void withClicksAndReadsAFitJudgesTheHighIntentThreshold() throws IOException {
        Path history = history();
        Path model = tmp.resolve("m.yaml");

        int code = run("fit", "--orders", history.resolve("orders.jsonl").toString(),
                "--clicks", history.resolve("clicks.jsonl").toString(),
                "--reads", history.resolve("reads.jsonl").toString(), "--out", model.toString());

        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        assertThat(out.toString()).contains(
                "high intent: 26,871 signals of 400 users; peak intent of each active user (a signal in the 30 days"
                        + " before)\non each day 2026-02-02 to 2026-03-01, 10,745 active user-days:\n"
                        + "  p50 3.86 p90 17.64 p95 23.85 p99 35.53\n"
                        + "  minIntent 15.0 is reached by 13.69 % of them\n\n");
        assertThat(ModelLoader.load(model).triggers().highIntent().minIntent()).isEqualTo(15.0);
        assertThat(Files.readString(model)).contains("\n# triggers.highIntent.minIntent 15.0 is reached by 13.69 % of"
                + " active users on a day (10,745 active user-days, 2026-02-02 to 2026-03-01).\n");
    }

    @Test
    void aModelThatAsksForTheTopFivePercentGetsTheMinIntentTheyReach() throws IOException {
        Path history = history();
        Path base = Files.writeString(tmp.resolve("top5.yaml"), "triggers: {highIntent: {topPercent: 5}}\n");
        Path model = tmp.resolve("m.yaml");

        int code = run("fit", "--model", base.toString(), "--orders", history.resolve("orders.jsonl").toString(),
                "--clicks", history.resolve("clicks.jsonl").toString(),
                "--reads", history.resolve("reads.jsonl").toString(), "--intent-days", "14", "--out", model.toString());

        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        assertThat(out.toString()).contains(
                "on each day 2026-02-16 to 2026-03-01, 5,252 active user-days:\n",
                "  minIntent 15.0 is reached by 12.66 % of them (before)\n"
                        + "  minIntent 22.6425 for the top 5 %: reached by 4.97 % of them (written to the model file)\n");
        TriggerParams.HighIntent fitted = ModelLoader.load(model).triggers().highIntent();
        assertThat(fitted.minIntent()).isEqualTo(22.6425);
        assertThat(fitted.topPercent()).isEqualTo(5.0);
        assertThat(Files.readString(model)).contains(
                "# Fitted: churn (r, alpha, a, b), value (p, q, gamma), rfm cut points, categories,"
                        + " triggers.highIntent.minIntent, version.\n",
                "\n# triggers.highIntent.minIntent 22.6425: the intent that only the top 5 % of active users reach on"
                        + " a day (4.97 % of 5,252 active user-days, 2026-02-16 to 2026-03-01).\n");
    }

    @Test
    void aTopShareWithoutClicksOrReadsIsOneLine() throws IOException {
        Path base = Files.writeString(tmp.resolve("top5.yaml"), "triggers: {highIntent: {topPercent: 5}}\n");

        int code = run("fit", "--model", base.toString(), "--orders", "o.csv", "--out", "m.yaml");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElseThrow()).isEqualTo("fit: the model asks for the top 5 %"
                + " of active users (triggers.highIntent.topPercent): give --clicks and --reads to learn the minIntent"
                + " they reach");

        err.getBuffer().setLength(0);
        assertThat(run("fit", "--orders", "o.csv", "--out", "m.yaml", "--intent-days", "0")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElseThrow()).isEqualTo("fit: --intent-days must be at least 1,"
                + " got 0");
    }

    @Test
    void aBadClickLineStopsTheFitInOneLine() throws IOException {
        Path history = history();
        Path clicks = Files.writeString(tmp.resolve("clicks.jsonl"),
                "{\"eventId\":\"c1\",\"userId\":\"\",\"ts\":1767225600000,\"type\":\"SEARCH\"}\n");

        int code = run("fit", "--orders", history.resolve("orders.jsonl").toString(), "--clicks", clicks.toString(),
                "--out", tmp.resolve("m.yaml").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("fit: " + clicks + " line 1: invalid click: userId is"
                + " empty");
        assertThat(tmp.resolve("m.yaml")).doesNotExist();
    }

    @Test
    void pondNamesFitAmongItsCommands() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).startsWith("pond: name a command: demo, run, generate, replay, fit");
    }
}
