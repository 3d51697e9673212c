package dev.pond.model.fit;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads an order file for {@code pond fit}: CSV ({@link CsvOrderLines}) or, when the first
 * non-blank character is <code>{</code>, JSON Lines order events ({@link OrderEventLines}).
 *
 * <p>A bad line stops the read with a message naming the file, the line number and the value
 * ({@link TextLines}). Large files report progress every million lines.
 */
public final class OrderFileReader {

    /** What was read. */
    public record Orders(Path file, String format, long lines, List<Purchase> purchases, int undone) {}

    private final Consumer<String> progress;
    private final long every;

    /** @param progress receives "orders.csv: read 3,000,000 lines…" every million lines */
    public OrderFileReader(Consumer<String> progress) {
        this(progress, TextLines.PROGRESS_EVERY);
    }

    OrderFileReader(Consumer<String> progress, long every) {
        this.progress = progress;
        this.every = every;
    }

    /**
     * @throws IllegalArgumentException if the file cannot be read or a line is bad
     */
    public Orders read(Path file) {
        OrderLines[] parser = new OrderLines[1];
        long n = TextLines.read(file, progress, every, line -> {
            if (parser[0] == null) {
                parser[0] = line.startsWith("{") ? new OrderEventLines() : new CsvOrderLines();
            }
            parser[0].accept(line);
        });
        if (parser[0] == null) {
            throw new IllegalArgumentException(file + " has no orders");
        }
        String format = parser[0] instanceof OrderEventLines ? "JSON Lines order events" : "CSV";
        return new Orders(file, format, n, parser[0].purchases(), parser[0].undone());
    }
}
