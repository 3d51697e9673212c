package dev.pond.demo;

import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.io.JsonCodec;
import org.apache.avro.specific.SpecificRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes events as replay input: {@code clicks.jsonl}, {@code reads.jsonl}, {@code orders.jsonl} in one directory. */
public final class JsonLinesEventSink implements EventSink {

    private final BufferedWriter clicks;
    private final BufferedWriter reads;
    private final BufferedWriter orders;

    public JsonLinesEventSink(Path dir) throws IOException {
        Files.createDirectories(dir);
        clicks = Files.newBufferedWriter(dir.resolve("clicks.jsonl"), StandardCharsets.UTF_8);
        reads = Files.newBufferedWriter(dir.resolve("reads.jsonl"), StandardCharsets.UTF_8);
        orders = Files.newBufferedWriter(dir.resolve("orders.jsonl"), StandardCharsets.UTF_8);
    }

    @Override
    public void write(SpecificRecord event) throws IOException {
        BufferedWriter out = event instanceof ClickEvent ? clicks : event instanceof ArticleRead ? reads : orders;
        out.write(JsonCodec.write(event));
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        clicks.close();
        reads.close();
        orders.close();
    }
}
