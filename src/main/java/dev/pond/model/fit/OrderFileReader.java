package dev.pond.model.fit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads an order file for {@code pond fit}: CSV ({@link CsvOrderLines}) or, when the first
 * non-blank character is <code>{</code>, JSON Lines order events ({@link OrderEventLines}).
 *
 * <p>A bad line stops the read with a message naming the file, the line number and the value:
 * a fit on silently dropped data is worse than a clear stop. Large files report progress every
 * million lines.
 */
public final class OrderFileReader {

    /** What was read. */
    public record Orders(Path file, String format, long lines, List<Purchase> purchases, int undone) {}

    static final long PROGRESS_EVERY = 1_000_000;

    private final Consumer<String> progress;
    private final long every;

    /** @param progress receives "read 3,000,000 lines…" every million lines */
    public OrderFileReader(Consumer<String> progress) {
        this(progress, PROGRESS_EVERY);
    }

    OrderFileReader(Consumer<String> progress, long every) {
        this.progress = progress;
        this.every = every;
    }

    /**
     * @throws IllegalArgumentException if the file cannot be read or a line is bad
     */
    public Orders read(Path file) {
        OrderLines parser = null;
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                n++;
                if (n % every == 0) {
                    progress.accept(String.format(Locale.ROOT, "read %,d lines…", n));
                }
                // A spreadsheet's UTF-8 export may start with a byte order mark, which strip() keeps.
                String trimmed = (n == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (parser == null) {
                    parser = trimmed.startsWith("{") ? new OrderEventLines() : new CsvOrderLines();
                }
                try {
                    parser.accept(trimmed);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + n + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (parser == null) {
            throw new IllegalArgumentException(file + " has no orders");
        }
        String format = parser instanceof OrderEventLines ? "JSON Lines order events" : "CSV";
        return new Orders(file, format, n, parser.purchases(), parser.undone());
    }
}
