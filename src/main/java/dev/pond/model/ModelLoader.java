package dev.pond.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the model file (YAML, or JSON which is YAML too) over the defaults shipped in the jar. A
 * file gives only what it changes; unknown keys and wrong values are refused with a message that
 * names them.
 */
public final class ModelLoader {

    private static final String DEFAULTS = "/dev/pond/model/default-model.yaml";
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ModelLoader() {}

    /** The shipped defaults. */
    public static Model defaults() {
        return parse(defaultTree(), "the default model");
    }

    /**
     * The defaults with the demo shop's categories (fitted by {@code pond fit} on the demo's
     * generator), which the demo uses unless given a model.
     */
    public static Model demoShop() {
        return fromYaml(demoShopYaml(), "the demo shop's model");
    }

    /** The demo shop's model file, as {@link #demoShop} reads it. */
    public static String demoShopYaml() {
        try (InputStream in = ModelLoader.class.getResourceAsStream("/dev/pond/demo/demo-shop.yaml")) {
            if (in == null) {
                throw new IllegalStateException("missing resource /dev/pond/demo/demo-shop.yaml");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model in {@code file}, over the defaults. */
    public static Model load(Path file) {
        return fromYaml(read(file), file.toString());
    }

    /**
     * The model {@code pond fit} starts from ({@code file}, or the defaults if null): unlike a model
     * to run, it may ask for a top share of users without the threshold that fit will learn for it.
     */
    public static Model loadToFit(Path file) {
        return file == null ? defaults() : fromYaml(read(file), file.toString(), false);
    }

    /** The text of the model file {@code file}, with an error that names it if it cannot be read. */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The model in {@code yaml}, over the defaults; {@code origin} names it in errors. */
    public static Model fromYaml(String yaml, String origin) {
        return fromYaml(yaml, origin, true);
    }

    private static Model fromYaml(String yaml, String origin, boolean toRun) {
        JsonNode override;
        try {
            override = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
        ObjectNode merged = defaultTree();
        if (override != null && !override.isMissingNode() && !override.isNull()) {
            if (!override.isObject()) {
                throw new IllegalArgumentException(origin + " must be a YAML mapping at the top level");
            }
            refuseRetired((ObjectNode) override, origin);
            if (toRun) {
                refuseUnfittedShare((ObjectNode) override, origin);
            }
            merge(merged, (ObjectNode) override);
        }
        return parse(merged, origin);
    }

    /** Loads {@code file} if given, else the defaults. */
    public static Model loadOrDefaults(Path file) {
        return file == null ? defaults() : load(file);
    }

    private static Model parse(JsonNode tree, String origin) {
        try {
            return YAML.treeToValue(tree, Model.class).validate();
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new IllegalArgumentException(origin + ": " + (path.isEmpty() ? "" : path + ": ")
                    + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * A share of users is not a threshold the job can use until {@code pond fit} has turned it into
     * one: a file that asks for a top percentage must carry the {@code minIntent} fitted for it, or
     * the job would silently run on the default number.
     */
    private static void refuseUnfittedShare(ObjectNode file, String origin) {
        JsonNode high = file.path("triggers").path("highIntent");
        if (high.hasNonNull("topPercent") && !high.has("minIntent")) {
            throw new IllegalArgumentException(origin + ": triggers.highIntent.topPercent needs the minIntent it stands"
                    + " for: run `pond fit --clicks ... --reads ...` with this file as --model, which writes both");
        }
    }

    /** Keys of earlier versions, with what replaced them, so that an old file fails with a way forward. */
    private static void refuseRetired(ObjectNode file, String origin) {
        JsonNode lifecycle = file.get("lifecycle");
        if (lifecycle != null && (lifecycle.has("sleepingDays") || lifecycle.has("churnedDays"))) {
            throw new IllegalArgumentException(origin + ": lifecycle.sleepingDays and lifecycle.churnedDays are gone:"
                    + " sleeping and churned now begin at churn-risk thresholds, lifecycle.sleepingRisk and"
                    + " lifecycle.churnedRisk (defaults 0.8 and 0.95)");
        }
    }

    /** Objects merge key by key; anything else (numbers, lists) replaces the default. */
    private static void merge(ObjectNode base, ObjectNode override) {
        Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode current = base.get(field.getKey());
            if (current instanceof ObjectNode currentObject && field.getValue() instanceof ObjectNode value) {
                merge(currentObject, value);
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    private static ObjectNode defaultTree() {
        try (InputStream in = ModelLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULTS);
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
