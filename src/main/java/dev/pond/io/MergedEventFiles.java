package dev.pond.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

    /**
     * Reads one file line by line as raw bytes (so that a line that is not UTF-8 becomes a dead
     * letter with its bytes, not an error that stops the replay), decoding each into an event.
     */
    private static final class Cursor {
        private final InputStream in;
        private final InboundDecoder decoder;
        private final String name;
        private final long now;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        private long lineNumber;
        private Inbound head;

        Cursor(Input input, long now) throws IOException {
            Path path = Path.of(input.path());
            this.in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
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
                while (nextLine()) {
                    lineNumber++;
                    byte[] raw = line.toByteArray();
                    if (!isBlank(raw)) {
                        return decoder.fromJsonLine(raw, name, lineNumber, now);
                    }
                }
                close();
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + name + " after line " + lineNumber, e);
            }
        }

        /** Reads up to the next newline (which, and a carriage return before it, are dropped). */
        private boolean nextLine() throws IOException {
            line.reset();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            if (b < 0 && line.size() == 0) {
                return false;
            }
            byte[] bytes = line.toByteArray();
            if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                line.reset();
                line.write(bytes, 0, bytes.length - 1);
            }
            return true;
        }

        private static boolean isBlank(byte[] raw) {
            for (byte b : raw) {
                if (b != ' ' && b != '\t') {
                    return false;
                }
            }
            return true;
        }

        void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing left to read from it either way
            }
        }
    }
}
