package dev.pond.io;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The events of several JSON Lines files as one sequence, merged by event time: each step takes
 * the earliest head among the files (ties in the order the files were given; lines that are dead
 * letters go first, they have no time). Each file keeps its own line order, so events that are out
 * of order within a file stay out of order, as they would in a Kafka partition. Deterministic:
 * the same files give the same sequence.
 */
public final class MergedEventFiles implements Iterator<Inbound>, Closeable {

    /** One input file and what it holds. */
    public record Input(EventKind kind, String path) implements java.io.Serializable {}

    private final List<Cursor> cursors = new ArrayList<>();
    private long emitted;

    /**
     * @param skip events to skip (already emitted before a restore)
     * @param now wall-clock time the events are validated at
     */
    public MergedEventFiles(List<Input> inputs, long skip, long now) {
        try {
            for (Input input : inputs) {
                cursors.add(new Cursor(input, now));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
        while (emitted < skip && hasNext()) {
            next();
        }
    }

    /** How many events were taken so far (including skipped ones). */
    public long emitted() {
        return emitted;
    }

    @Override
    public boolean hasNext() {
        for (Cursor c : cursors) {
            if (c.head != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Inbound next() {
        Cursor earliest = null;
        for (Cursor c : cursors) {
            if (c.head != null && (earliest == null || c.head.eventTime() < earliest.head.eventTime())) {
                earliest = c;
            }
        }
        if (earliest == null) {
            throw new NoSuchElementException();
        }
        emitted++;
        return earliest.advance();
    }

    @Override
    public void close() {
        for (Cursor c : cursors) {
            c.close();
        }
    }

    private static final class Cursor {
        private final BufferedReader reader;
        private final InboundDecoder decoder;
        private final String name;
        private final long now;
        private long lineNumber;
        private Inbound head;

        Cursor(Input input, long now) throws IOException {
            Path path = Path.of(input.path());
            this.reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
            this.decoder = new InboundDecoder(input.kind());
            this.name = path.getFileName().toString();
            this.now = now;
            this.head = read();
        }

        Inbound advance() {
            Inbound current = head;
            head = read();
            return current;
        }

        private Inbound read() {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    if (!line.isBlank()) {
                        return decoder.fromJson(line, name, lineNumber, now);
                    }
                }
                close();
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + name + " at line " + lineNumber, e);
            }
        }

        void close() {
            try {
                reader.close();
            } catch (IOException ignored) {
                // nothing left to read from it either way
            }
        }
    }
}
