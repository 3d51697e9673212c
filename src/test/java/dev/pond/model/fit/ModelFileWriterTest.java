package dev.pond.model.fit;

import dev.pond.Pond;
import dev.pond.model.ChurnModel;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import dev.pond.testing.SyntheticCustomers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fitted model file: a complete model that {@link ModelLoader} loads back as the fitted
 * model, with the base model's other values kept, a header saying where it came from, and the
 * same bytes for the same orders.
 */
class ModelFileWriterTest {

    @TempDir
    static Path tmp;

    private static Path orders;

    @BeforeAll
    static void orders() {
        orders = SyntheticCustomers.shopCsv(tmp.resolve("orders.csv"));
    }

    private int fit(String... args) {
        CommandLine cmd = Pond.commandLine();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        assertThat(err.toString()).isEmpty();
        return code;
    }

    @Test
    void theWrittenFileLoadsBackAsTheFittedModel() throws IOException {
        Model base = ModelLoader.defaults();
        // The synthetic customers buy at random moments, whose gaps the default dispersion refuses:
        // a loose limit keeps the cycles, so that they are written and read back.
        FitOptions defaults = FitOptions.defaults(null);
        FitOptions loose = new FitOptions(null, new CategoryCycles.Thresholds(defaults.cycles().minGaps(), 10),
                defaults.related());
        FitResult fit = ModelFit.run(new OrderFileReader(line -> {}).read(orders), loose, 12);
        Model fitted = ModelFileWriter.fitted(base, fit, ChurnModel.MBG_NBD, "fit-test");

        Path file = Files.writeString(tmp.resolve("model.yaml"), ModelFileWriter.write(fitted, fit, "the defaults"));
        Model loaded = ModelLoader.load(file);

        assertThat(loaded).isEqualTo(fitted);
        assertThat(loaded.churn()).isEqualTo(new Model.Churn(ChurnModel.MBG_NBD,
                ModelFileWriter.round(fit.mbgNbd().r()), ModelFileWriter.round(fit.mbgNbd().alpha()),
                ModelFileWriter.round(fit.mbgNbd().a()), ModelFileWriter.round(fit.mbgNbd().b()),
                base.churn().horizonDays()));
        assertThat(loaded.value().p()).isEqualTo(ModelFileWriter.round(fit.gammaGamma().p()));
        assertThat(loaded.rfm().recencyDays()).isEqualTo(fit.rfm().recencyDays());
        assertThat(loaded.rfm().monetary()).isEqualTo(fit.rfm().monetary());
        assertThat(loaded.categories().repurchaseDays()).containsOnlyKeys("cake", "coffee", "soap", "tea");
        assertThat(loaded.categories().related()).isEqualTo(fit.related()).isNotEmpty();
        assertThat(List.of(loaded.intent(), loaded.lifecycle(), loaded.tiers(), loaded.tags(), loaded.triggers(),
                loaded.profile(), loaded.limits()))
                .isEqualTo(List.of(base.intent(), base.lifecycle(), base.tiers(), base.tags(), base.triggers(),
                        base.profile(), base.limits()));
        assertThat(Files.readAllLines(file).get(0))
                .isEqualTo("# Pond model written by `pond fit` from orders.csv (CSV, "
                        + String.format(java.util.Locale.ROOT, "%,d", fit.lines()) + " lines).");
        assertThat(Files.readString(file)).contains("# Everything else is from the defaults.\n",
                "\n# Repurchase cycles for 4 of 4 categories (at least 20 gaps, dispersion (Q3 - Q1) / median at most"
                        + " 10.0).\n");
    }

    @Test
    void theSameOrdersGiveTheSameBytes() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path copy = Files.copy(orders, elsewhere.resolve("orders.csv"));

        assertThat(fit("fit", "--orders", orders.toString(), "--out", tmp.resolve("a.yaml").toString())).isZero();
        assertThat(fit("fit", "--orders", copy.toString(), "--out", tmp.resolve("b.yaml").toString())).isZero();

        assertThat(Files.mismatch(tmp.resolve("a.yaml"), tmp.resolve("b.yaml"))).isEqualTo(-1L);
    }

    @Test
    void aBaseModelKeepsEverythingThatIsNotFitted() throws IOException {
        Path base = Files.writeString(tmp.resolve("base.yaml"), """
                churn: {horizonDays: 60}
                value: {clvMonths: 24, annualDiscountRate: 0.05}
                rfm: {windowMonths: 6, highScore: 4}
                tiers: [{name: member, minSpend: 100}]
                """);
        Path out = tmp.resolve("out/model.yaml");

        assertThat(fit("fit", "--orders", orders.toString(), "--out", out.toString(), "--model", base.toString(),
                "--version", "v7", "--churn-model", "BG_NBD", "--calibration-end", "2025-09-30")).isZero();

        Model model = ModelLoader.load(out);
        FitResult fit = ModelFit.run(new OrderFileReader(line -> {}).read(orders),
                FitOptions.defaults(CalibrationEnd.parse("2025-09-30")), 6);
        assertThat(model.version()).isEqualTo("v7");
        assertThat(model.churn().model()).isEqualTo(ChurnModel.BG_NBD);
        assertThat(model.churn().r()).isEqualTo(ModelFileWriter.round(fit.bgNbd().r()));
        assertThat(model.churn().horizonDays()).isEqualTo(60);
        assertThat(model.value().clvMonths()).isEqualTo(24);
        assertThat(model.value().annualDiscountRate()).isEqualTo(0.05);
        assertThat(model.rfm().windowMonths()).isEqualTo(6);
        assertThat(model.rfm().highScore()).isEqualTo(4);
        assertThat(model.rfm().frequency()).isEqualTo(fit.rfm().frequency()); // counted in the 6-month window
        assertThat(model.tiers()).containsExactly(new Model.Tier("member", 100));
        assertThat(model.categories().repurchaseDays()).isEmpty(); // random purchase times
        assertThat(Files.readString(out)).contains("# Everything else is from base.yaml.\n",
                "\n# Repurchase cycles for 0 of 4 categories (at least 20 gaps, dispersion (Q3 - Q1) / median at most"
                        + " 1.25); none for cake (irregular: ",
                "# Calibration end 2025-09-30 (2025-09-30T23:59:59.999Z): ");
    }

    @Test
    void aChurnModelThatCannotBeFittedIsReportedAndOnlyTheChosenOneMustFit() {
        FitResult both = ModelFit.run(new OrderFileReader(line -> {}).read(orders), FitOptions.defaults(null), 12);
        String reason = "the BG_NBD fit has no maximum: a runs off to infinity";
        FitResult fit = new FitResult(both.input(), both.format(), both.lines(), both.undone(), both.calibrationEnd(),
                both.customers(), both.purchases(), both.later(), null, both.mbgNbd(),
                java.util.Map.of(ChurnModel.BG_NBD, reason), both.gammaGamma(), both.rfm(),
                both.cycleThresholds(), both.cycles(), both.related(), both.report(), null);

        Model fitted = ModelFileWriter.fitted(ModelLoader.defaults(), fit, ChurnModel.MBG_NBD, "fit-test");
        assertThat(fitted.churn().model()).isEqualTo(ChurnModel.MBG_NBD);
        assertThat(ModelFileWriter.write(fitted, fit, "the defaults"))
                .contains("Log-likelihoods: BG_NBD not fitted, MBG_NBD ");
        assertThat(FitText.of(fit, ChurnModel.MBG_NBD)).contains("BG_NBD     not fitted: " + reason);
        assertThatThrownBy(() -> ModelFileWriter.fitted(ModelLoader.defaults(), fit, ChurnModel.BG_NBD, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(reason + " (the other churn model could be fitted: try --churn-model MBG_NBD)");
    }
}
