package dev.pond.cli;

import dev.pond.core.TagRules;
import dev.pond.model.ChurnModel;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import dev.pond.model.fit.CalibrationEnd;
import dev.pond.model.fit.CategoryCycles;
import dev.pond.model.fit.FitOptions;
import dev.pond.model.fit.FitResult;
import dev.pond.model.fit.FitText;
import dev.pond.model.fit.IntentSignalFiles;
import dev.pond.model.fit.ModelFileWriter;
import dev.pond.model.fit.ModelFit;
import dev.pond.model.fit.OrderFileReader;
import dev.pond.model.fit.RelatedCategories;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code pond fit}: learns the model file's churn, spend, RFM and category numbers from orders. */
@Command(
        name = "fit",
        description = {
            "Fits the churn models (BG/NBD and MBG/NBD), the Gamma-Gamma spend model, RFM cut points and",
            "category repurchase cycles and pairs to an order history, prints them with a fit report,",
            "and writes a model file for run, replay and demo (--model). With --clicks and --reads it also",
            "reports how high active users' intent peaks, and where the model sets",
            "triggers.highIntent.topPercent, writes the minIntent that only that share reaches.",
            "Orders: CSV with the header user_id,order_time,total[,categories] (categories |-separated;",
            "order_time a date or a date-time with a zone), or JSON Lines order events as written by",
            "generate (PAID counts, a later REFUNDED or CANCELLED undoes it)."
        })
public final class FitCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--orders", required = true, paramLabel = "FILE", description = "The order history (CSV or JSON Lines).")
    Path orders;

    @Option(names = "--clicks", paramLabel = "FILE",
            description = "Click history (JSON Lines, as generate writes): with --reads, how high active users' intent"
                    + " peaks, for HIGH_INTENT's threshold.")
    Path clicks;

    @Option(names = "--reads", paramLabel = "FILE", description = "Article-read history (JSON Lines), as --clicks.")
    Path reads;

    @Option(names = "--intent-days", defaultValue = "" + IntentSignalFiles.DEFAULT_DAYS, paramLabel = "N",
            description = "Days up to the calibration end whose intent peaks are sampled (default: ${DEFAULT-VALUE}).")
    int intentDays;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Write the fitted model file here.")
    Path out;

    @Option(names = "--calibration-end", paramLabel = "DATE|INSTANT", converter = CalibrationEndConverter.class,
            description = "Ignore purchases after this (a date: the whole day, UTC). Default: the last purchase's day.")
    CalibrationEnd calibrationEnd;

    @Option(names = "--model", paramLabel = "BASE",
            description = "The model whose other sections the file keeps (default: the shipped defaults).")
    Path base;

    @Option(names = "--churn-model", defaultValue = "MBG_NBD", paramLabel = "BG_NBD|MBG_NBD",
            description = "The churn model written to the file; both are fitted (default: ${DEFAULT-VALUE}).")
    ChurnModel churnModel;

    @Option(names = "--version", paramLabel = "VERSION",
            description = "The model version (default: fit-<calibration end date>).")
    String version;

    @Option(names = "--min-cycle-gaps", defaultValue = "" + FitOptions.MIN_CYCLE_GAPS, paramLabel = "N",
            description = "Repurchase gaps a category needs to get a cycle (default: ${DEFAULT-VALUE}).")
    int minCycleGaps;

    @Option(names = "--max-cycle-dispersion", defaultValue = "" + FitOptions.MAX_CYCLE_DISPERSION, paramLabel = "X",
            description = "Largest spread (Q3 - Q1) / median of a category's gaps for it to get a cycle: consumables"
                    + " stay near 0.5, apparel or makeup bought at random moments near 2 (default: ${DEFAULT-VALUE}).")
    double maxCycleDispersion;

    @Option(names = "--min-support", defaultValue = "" + FitOptions.MIN_SUPPORT, paramLabel = "N",
            description = "Customers who must have bought both of two related categories (default: ${DEFAULT-VALUE}).")
    int minSupport;

    @Option(names = "--min-lift", defaultValue = "" + FitOptions.MIN_LIFT, paramLabel = "X",
            description = "Lift two related categories must reach (default: ${DEFAULT-VALUE}).")
    double minLift;

    @Option(names = "--max-related", defaultValue = "" + FitOptions.MAX_RELATED, paramLabel = "N",
            description = "Related categories kept per category (default: ${DEFAULT-VALUE}).")
    int maxRelated;

    @Override
    public Integer call() throws IOException {
        FitOptions options = options();
        long started = System.nanoTime();
        PrintWriter err = spec.commandLine().getErr();
        Model baseModel = ModelLoader.loadToFit(base);
        Double topPercent = baseModel.triggers().highIntent().topPercent();
        if (topPercent != null && clicks == null && reads == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the model asks for the top "
                    + TagRules.number(topPercent) + " % of active users (triggers.highIntent.topPercent):"
                    + " give --clicks and --reads to learn the minIntent they reach");
        }
        OrderFileReader.Orders read = new OrderFileReader(err::println).read(orders);
        FitResult fit = ModelFit.run(read, options, baseModel.rfm().windowMonths());
        if (clicks != null || reads != null) {
            fit = fit.withIntent(new IntentSignalFiles(baseModel, err::println)
                    .fit(clicks, reads, fit.calibrationEnd(), intentDays));
        }
        String v = version != null ? version : "fit-" + fit.calibrationEnd().day();
        Model fitted = ModelFileWriter.fitted(baseModel, fit, churnModel, v);
        String baseName = base == null ? "Pond's default model" : base.getFileName().toString();
        String text = ModelFileWriter.write(fitted, fit, baseName);
        write(text);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(FitText.of(fit, churnModel));
        stdout.println();
        stdout.printf(Locale.ROOT, "wrote %s (version %s, churn %s) in %.1f s%n", out, v, churnModel,
                (System.nanoTime() - started) / 1e9);
        stdout.flush();
        return 0;
    }

    private FitOptions options() {
        if (intentDays < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--intent-days must be at least 1, got " + intentDays);
        }
        try {
            return new FitOptions(calibrationEnd, new CategoryCycles.Thresholds(minCycleGaps, maxCycleDispersion),
                    new RelatedCategories.Thresholds(minSupport, minLift, maxRelated));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void write(String text) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, text);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** A date or an instant, refused in one line naming the value. */
    static final class CalibrationEndConverter implements CommandLine.ITypeConverter<CalibrationEnd> {
        @Override
        public CalibrationEnd convert(String value) {
            try {
                return CalibrationEnd.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
