package dev.pond.io;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes records as JSON Lines ({@link JsonCodec}), one part file per parallel writer:
 * {@code DIR/NAME-SUBTASK.jsonl}. For bounded jobs (replay), which merge the parts when done; it
 * does not take part in checkpoints.
 */
public final class JsonLinesSink<T extends SpecificRecord> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final String dir;
    private final String name;

    public JsonLinesSink(Path dir, String name) {
        this.dir = dir.toString();
        this.name = name;
    }

    /** The part file of writer {@code subtask}. */
    public static Path part(Path dir, String name, int subtask) {
        return dir.resolve(name + "-" + subtask + ".jsonl");
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        Path file = part(Path.of(dir), name, context.getTaskInfo().getIndexOfThisSubtask());
        Files.createDirectories(file.getParent());
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) throws IOException {
                out.write(JsonCodec.write(element));
                out.write('\n');
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}
