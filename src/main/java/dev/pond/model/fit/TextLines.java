package dev.pond.model.fit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The non-blank lines of a UTF-8 history file for {@code pond fit}, stripped, with progress every
 * {@code every} lines. A line its consumer refuses stops the read with a message naming the file,
 * the line number and the value: a fit on silently dropped data is worse than a clear stop.
 */
final class TextLines {

    static final long PROGRESS_EVERY = 1_000_000;

    private TextLines() {}

    /**
     * Hands every non-blank line to {@code consumer} and returns how many lines the file has.
     *
     * @throws IllegalArgumentException if the file cannot be read or the consumer refuses a line
     */
    static long read(Path file, Consumer<String> progress, long every, Consumer<String> consumer) {
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                n++;
                if (n % every == 0) {
                    progress.accept(String.format(Locale.ROOT, "%s: read %,d lines…", file.getFileName(), n));
                }
                // A spreadsheet's UTF-8 export may start with a byte order mark, which strip() keeps.
                String trimmed = (n == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                try {
                    consumer.accept(trimmed);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + n + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return n;
    }
}
