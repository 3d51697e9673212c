package dev.pond.model.fit;

import dev.pond.core.Engagement;
import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.io.EventValidator;
import dev.pond.io.JsonCodec;
import dev.pond.model.Model;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Learns HIGH_INTENT's threshold from click and article-read history: JSON Lines
 * {@link ClickEvent}s and {@link ArticleRead}s as {@code generate} writes them and {@code replay}
 * reads them, weighed as the job weighs them (the model's click weights, {@link Engagement} for
 * reads) and validated as the job validates them. A bad or invalid line stops the read, naming
 * the file and the line ({@link TextLines}).
 */
public final class IntentSignalFiles {

    /** The days sampled by default: four weeks, so that every weekday counts four times. */
    public static final int DEFAULT_DAYS = 28;

    private final Model model;
    private final Engagement engagement;
    private final Consumer<String> progress;
    private final long every;

    /** @param progress receives "clicks.jsonl: read 3,000,000 lines…" every million lines */
    public IntentSignalFiles(Model model, Consumer<String> progress) {
        this(model, progress, TextLines.PROGRESS_EVERY);
    }

    IntentSignalFiles(Model model, Consumer<String> progress, long every) {
        this.model = model;
        this.engagement = new Engagement(model);
        this.progress = progress;
        this.every = every;
    }

    /**
     * The threshold as the files show it, over the {@code days} days up to {@code end}.
     *
     * @param clicks the click file, or null
     * @param reads the article-read file, or null
     * @throws IllegalArgumentException if a file cannot be read, a line is bad, or the threshold
     *     cannot be learnt ({@link IntentThreshold#of})
     */
    public IntentThreshold fit(Path clicks, Path reads, CalibrationEnd end, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("the days to learn the high-intent threshold from must be at least 1, got "
                    + days);
        }
        IntentDays peaks = new IntentDays(model, end.last().toEpochMilli(), days);
        if (clicks != null) {
            TextLines.read(clicks, progress, every, line -> {
                ClickEvent e = parse(line, ClickEvent.class);
                invalid("click", EventValidator.check(e, EventValidator.HISTORY));
                peaks.add(e.getUserId(), e.getTs().toEpochMilli(), model.intent().weight(e.getType()));
            });
        }
        if (reads != null) {
            TextLines.read(reads, progress, every, line -> {
                ArticleRead e = parse(line, ArticleRead.class);
                invalid("article read", EventValidator.check(e, EventValidator.HISTORY));
                peaks.add(e.getUserId(), e.getTs().toEpochMilli(), engagement.intentWeight(e));
            });
        }
        return IntentThreshold.of(peaks, model.triggers().highIntent());
    }

    private static <T extends SpecificRecord> T parse(String line, Class<T> type) {
        try {
            return JsonCodec.read(line, type);
        } catch (IOException bad) {
            throw new IllegalArgumentException(bad.getMessage());
        }
    }

    private static void invalid(String what, String why) {
        if (why != null) {
            throw new IllegalArgumentException("invalid " + what + ": " + why);
        }
    }
}
