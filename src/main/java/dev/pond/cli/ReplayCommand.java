package dev.pond.cli;

import dev.pond.io.EventKind;
import dev.pond.io.MergedEventFiles;
import dev.pond.io.ReplayOutput;
import dev.pond.job.JobOptions;
import dev.pond.job.Replay;
import dev.pond.model.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code pond replay}: the job over JSON Lines files, for backtests and reproducible checks. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the scoring job over JSON Lines event files instead of Kafka and writes",
            "triggers.jsonl, tags.jsonl, profiles.jsonl (last profile per user), segments.jsonl,",
            "alerts.jsonl, deadletter.jsonl and notsent.jsonl (triggers the contact policy held back).",
            "The same input gives byte-identical output."
        })
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--clicks", paramLabel = "FILE", description = "ClickEvent lines.")
    Path clicks;

    @Option(names = "--reads", paramLabel = "FILE", description = "ArticleRead lines.")
    Path reads;

    @Option(names = "--orders", paramLabel = "FILE", description = "OrderEvent lines.")
    Path orders;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file (YAML) over the defaults.")
    Path model;

    @Option(names = "--until", paramLabel = "INSTANT",
            description = "Timers later than this do not fire (ISO-8601). Default: the last event's time.")
    Instant until;

    @Option(names = "--snapshot",
            description = "End with every user's profile as of --until (or the last event), so that all final "
                    + "profiles describe the same moment: churn risk and value are comparable across users. "
                    + "Events after --until are then left out.")
    boolean snapshot;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the output files.")
    Path out;

    @Option(names = "--out-of-orderness", paramLabel = "DURATION", defaultValue = "5m",
            description = "Watermark bound, as in the live job (default: ${DEFAULT-VALUE}).")
    Duration outOfOrderness = JobOptions.DEFAULT_OUT_OF_ORDERNESS;

    @Option(names = "--parallelism", defaultValue = "1", description = "Parallelism of the scoring (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "Validate events as if the wall clock showed this (events more than a day ahead of it are "
                    + "dead letters). Default: the actual time; pin it to replay future-dated events reproducibly.")
    Instant now;

    @Override
    public Integer call() throws Exception {
        List<MergedEventFiles.Input> inputs = new ArrayList<>();
        if (clicks != null) inputs.add(new MergedEventFiles.Input(EventKind.CLICK, clicks.toString()));
        if (reads != null) inputs.add(new MergedEventFiles.Input(EventKind.READ, reads.toString()));
        if (orders != null) inputs.add(new MergedEventFiles.Input(EventKind.ORDER, orders.toString()));
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
        }
        ReplayOutput.Counts counts = Replay.run(ModelLoader.loadOrDefaults(model),
                new Replay.Request(inputs, until, out, parallelism, outOfOrderness, now, snapshot));
        System.out.printf("replayed into %s: %d triggers, %d tag changes, %d profiles, %d segment counts, %d alerts,"
                        + " %d dead letters, %d triggers not sent%n", out, counts.triggers(), counts.tagChanges(),
                counts.profiles(), counts.segmentCounts(), counts.alerts(), counts.deadLetters(), counts.notSent());
        return 0;
    }
}
