package dev.pond.io;

import dev.pond.control.ModelUpdate;
import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import dev.pond.job.Topics;
import dev.pond.out.DeadLetter;
import dev.pond.out.Profile;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One standalone wire schema per topic ({@link WireSchema}: enums as strings), for consumers in
 * any language: each file holds every type it uses, so Avro's parser reads it alone. The build
 * writes them to {@code schemas/wire/}, named after the default topics ({@code pond.triggers.avsc},
 * ...); {@code WireSchemasTest} holds the files there to what the build generates.
 */
public final class WireSchemas {

    private WireSchemas() {}

    /** The wire schema of each default topic, by topic name, inputs first. */
    public static Map<String, Schema> byTopic() {
        Topics t = Topics.defaults();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(t.clicks(), WireSchema.of(ClickEvent.getClassSchema()));
        schemas.put(t.reads(), WireSchema.of(ArticleRead.getClassSchema()));
        schemas.put(t.orders(), WireSchema.of(OrderEvent.getClassSchema()));
        schemas.put(t.control(), WireSchema.of(ModelUpdate.getClassSchema()));
        schemas.put(t.triggers(), WireSchema.of(Trigger.getClassSchema()));
        schemas.put(t.tags(), WireSchema.of(TagChange.getClassSchema()));
        schemas.put(t.profiles(), WireSchema.of(Profile.getClassSchema()));
        schemas.put(t.segments(), WireSchema.of(SegmentCount.getClassSchema()));
        schemas.put(t.alerts(), WireSchema.of(SegmentAlert.getClassSchema()));
        schemas.put(t.deadLetters(), WireSchema.of(DeadLetter.getClassSchema()));
        return schemas;
    }

    /**
     * The file's text: the schema, pretty-printed, every named type defined where first used,
     * without the Java-only {@code avro.java.string} property.
     */
    public static String text(Schema schema) {
        try {
            JsonNode tree = JSON.readTree(schema.toString());
            strip(tree);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove("avro.java.string");
        }
        node.forEach(WireSchemas::strip);
    }

    /** Writes {@code <topic>.avsc} for every topic into {@code args[0]}; run by the build. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: WireSchemas DIR");
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Map.Entry<String, Schema> e : byTopic().entrySet()) {
            Path file = dir.resolve(e.getKey() + ".avsc");
            String text = text(e.getValue());
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
                Files.writeString(file, text, StandardCharsets.UTF_8);
            }
        }
    }
}
