package dev.pond.cli;

import dev.pond.backtest.Backtest;
import dev.pond.backtest.BacktestReport;
import dev.pond.backtest.TopicHistory;
import dev.pond.io.EventKind;
import dev.pond.io.MergedEventFiles;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code pond backtest}: what a model's triggers would have done over a history, before it goes live. */
@Command(
        name = "backtest",
        mixinStandardHelpOptions = true,
        description = {
            "Replays a history (the event files of replay, or with --bootstrap-servers a time range of",
            "the input topics) with a model and reports, per trigger type:",
            "how many triggers it sends and per day, how many the contact policy defers or holds back,",
            "and the share of targeted users who pay for an order within --conversion-window, beside",
            "the same share for comparable users it never targets. --compare runs a second model on",
            "the same history, side by side, with the users both target. Writes backtest.md,",
            "backtest.json and triggers-per-day.svg into --out and prints the Markdown."
        })
public final class BacktestCommand implements Callable<Integer> {

    @Option(names = "--clicks", paramLabel = "FILE", description = "ClickEvent lines.")
    Path clicks;

    @Option(names = "--reads", paramLabel = "FILE", description = "ArticleRead lines.")
    Path reads;

    @Option(names = "--orders", paramLabel = "FILE",
            description = "OrderEvent lines: conversions are their payments. Required unless --bootstrap-servers.")
    Path orders;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Read the history from the input topics instead of files: their committed records, "
                    + "from --from to --until in event time.")
    String bootstrapServers;

    @Option(names = "--from", paramLabel = "INSTANT",
            description = "With --bootstrap-servers: the first moment of event time (default: the topics' first event).")
    Instant from;

    @Option(names = "--read-timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "With --bootstrap-servers: how long reading each topic to its end may take "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration readTimeout;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--model", paramLabel = "FILE", description = "The model to test (default: the shipped one).")
    Path model;

    @Option(names = "--compare", paramLabel = "FILE", description = "A second model to test beside it.")
    Path compare;

    @Option(names = "--conversion-window", paramLabel = "DURATION", defaultValue = "7d",
            description = "How long after a trigger a payment counts (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--until", paramLabel = "INSTANT",
            description = "End of the history: timers after it do not fire, and with --bootstrap-servers events "
                    + "from it on are left out (default: the last event).")
    Instant until;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "Validate events as if the wall clock showed this (default: the actual time).")
    Instant now;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/backtest",
            description = "Where the report and the replays go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<MergedEventFiles.Input> inputs = new ArrayList<>();
        Files.createDirectories(out);
        if (bootstrapServers != null) {
            if (clicks != null || reads != null || orders != null) {
                throw new IllegalArgumentException("give either --bootstrap-servers or event files, not both");
            }
            long wallClock = now != null ? now.toEpochMilli() : System.currentTimeMillis();
            TopicHistory.Exported history = TopicHistory.export(bootstrapServers, kafka.clientProperties(),
                    kafka.topics(), from, until, wallClock, out.resolve("history"), readTimeout);
            System.out.print(history.summary());
            inputs.addAll(history.inputs());
        } else {
            if (orders == null) {
                throw new IllegalArgumentException("give --orders (and --clicks, --reads), or --bootstrap-servers");
            }
            if (from != null) {
                throw new IllegalArgumentException("--from reads the topics: it needs --bootstrap-servers");
            }
            if (clicks != null) inputs.add(new MergedEventFiles.Input(EventKind.CLICK, clicks.toString()));
            if (reads != null) inputs.add(new MergedEventFiles.Input(EventKind.READ, reads.toString()));
            inputs.add(new MergedEventFiles.Input(EventKind.ORDER, orders.toString()));
        }
        Map<String, Model> models = new LinkedHashMap<>();
        Model first = ModelLoader.loadOrDefaults(model);
        models.put(model == null ? "default" : name(model), first);
        if (compare != null) {
            String second = name(compare);
            models.put(models.containsKey(second) ? second + "-2" : second, ModelLoader.load(compare));
        }
        Backtest.Result result = Backtest.run(models, new Backtest.Request(inputs, until, window, now,
                out.resolve("replays")));
        BacktestReport.write(result, out);
        System.out.print(BacktestReport.markdown(result));
        System.out.println("\nwritten to " + out.resolve("backtest.md") + ", backtest.json, triggers-per-day.svg");
        return 0;
    }

    private static String name(Path file) {
        String n = file.getFileName().toString();
        return n.replaceFirst("\\.(ya?ml|json)$", "");
    }
}
