package dev.pond.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Compares an output record (a line of a replay file) with what a scenario expects of it, guided
 * by the record's Avro schema:
 *
 * <ul>
 *   <li>objects (records and maps) match partially: only the keys the scenario gives are compared,
 *       and a key the schema does not have is an error in the scenario;
 *   <li>lists match element by element and must have the same length;
 *   <li>times are compared as instants (the scenario writes ISO-8601, the files hold epoch
 *       milliseconds) and shown as ISO-8601;
 *   <li>a decimal written with digits after the point matches an actual value that rounds to it
 *       (intent {@code 10.83} matches 10.8312...); a whole number must match exactly;
 *   <li>bytes (a dead letter's raw line) are shown and compared as UTF-8 text.
 * </ul>
 *
 * <p>{@link #project} shows the actual record "through" the expected one: the same keys, and the
 * expected value wherever the actual one matches it, so that a match is plain equality and a
 * mismatch shows only what differs.
 */
final class RecordMatcher {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final TextNode ABSENT = TextNode.valueOf("<absent>");

    private RecordMatcher() {}

    /**
     * The expected value in display form (times as normalised ISO-8601).
     *
     * @throws IllegalArgumentException naming {@code path} if the value does not fit the schema
     */
    static JsonNode expected(JsonNode e, Schema s, String path) {
        switch (s.getType()) {
            case UNION -> {
                return e == null || e.isNull() ? NullNode.instance : expected(e, nonNull(s), path);
            }
            case RECORD -> {
                ObjectNode out = object(e, path);
                for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    Schema.Field field = s.getField(f.getKey());
                    if (field == null) {
                        throw new IllegalArgumentException(path + ": unknown field '" + f.getKey() + "' (" + s.getName()
                                + " has " + s.getFields().stream().map(Schema.Field::name).toList() + ")");
                    }
                    out.set(f.getKey(), expected(f.getValue(), field.schema(), path + "." + f.getKey()));
                }
                return out;
            }
            case MAP -> {
                ObjectNode out = object(e, path);
                e.fields().forEachRemaining(f ->
                        out.set(f.getKey(), expected(f.getValue(), s.getValueType(), path + "." + f.getKey())));
                return out;
            }
            case ARRAY -> {
                if (!e.isArray()) {
                    throw new IllegalArgumentException(path + " must be a list");
                }
                ArrayNode out = NODES.arrayNode();
                int i = 0;
                for (JsonNode item : e) {
                    out.add(expected(item, s.getElementType(), path + "[" + i++ + "]"));
                }
                return out;
            }
            default -> {
                if (!e.isValueNode() || e.isNull()) {
                    throw new IllegalArgumentException(path + " must be a single value");
                }
                if (isTime(s)) {
                    return TextNode.valueOf(Instant.ofEpochMilli(millis(e, path)).toString());
                }
                boolean fits = switch (s.getType()) {
                    case DOUBLE, FLOAT -> e.isNumber();
                    case INT, LONG -> e.isIntegralNumber();
                    case BOOLEAN -> e.isBoolean();
                    case ENUM -> s.hasEnumSymbol(e.asText());
                    default -> true;
                };
                if (!fits) {
                    throw new IllegalArgumentException(path + ": " + e.asText() + " is not " + switch (s.getType()) {
                        case DOUBLE, FLOAT -> "a number";
                        case INT, LONG -> "a whole number";
                        case BOOLEAN -> "true or false";
                        default -> "one of " + s.getEnumSymbols();
                    });
                }
                return e;
            }
        }
    }

    /**
     * The actual value {@code a} seen through the expected display value {@code e} (from {@link
     * #expected}): equal to {@code e} exactly when it matches.
     */
    static JsonNode project(JsonNode e, JsonNode a, Schema s) {
        if (a == null || a.isMissingNode()) {
            return ABSENT;
        }
        switch (s.getType()) {
            case UNION -> {
                if (e.isNull() || a.isNull()) {
                    return a.isNull() ? NullNode.instance : display(a, nonNull(s));
                }
                return project(e, a, nonNull(s));
            }
            case RECORD, MAP -> {
                if (!a.isObject()) {
                    return a;
                }
                ObjectNode out = NODES.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    Schema inner = s.getType() == Schema.Type.MAP ? s.getValueType() : s.getField(f.getKey()).schema();
                    out.set(f.getKey(), project(f.getValue(), a.get(f.getKey()), inner));
                }
                return out;
            }
            case ARRAY -> {
                ArrayNode out = NODES.arrayNode();
                for (int i = 0; i < a.size(); i++) {
                    out.add(i < e.size()
                            ? project(e.get(i), a.get(i), s.getElementType())
                            : display(a.get(i), s.getElementType()));
                }
                return out;
            }
            default -> {
                JsonNode shown = display(a, s);
                return leafMatches(e, a, s) ? e : shown;
            }
        }
    }

    /** The actual value in display form: times as ISO-8601, bytes as text. */
    static JsonNode display(JsonNode a, Schema s) {
        if (a == null || a.isMissingNode()) {
            return ABSENT;
        }
        if (a.isNull()) {
            return NullNode.instance;
        }
        switch (s.getType()) {
            case UNION -> {
                return display(a, nonNull(s));
            }
            case RECORD -> {
                ObjectNode out = NODES.objectNode();
                for (Schema.Field f : s.getFields()) {
                    if (a.has(f.name())) {
                        out.set(f.name(), display(a.get(f.name()), f.schema()));
                    }
                }
                return out;
            }
            case MAP -> {
                ObjectNode out = NODES.objectNode();
                a.fields().forEachRemaining(f -> out.set(f.getKey(), display(f.getValue(), s.getValueType())));
                return out;
            }
            case ARRAY -> {
                ArrayNode out = NODES.arrayNode();
                a.forEach(item -> out.add(display(item, s.getElementType())));
                return out;
            }
            case BYTES -> {
                return TextNode.valueOf(new String(Base64.getDecoder().decode(a.asText()), StandardCharsets.UTF_8));
            }
            default -> {
                return isTime(s) && a.isIntegralNumber() ? TextNode.valueOf(Instant.ofEpochMilli(a.longValue()).toString()) : a;
            }
        }
    }

    private static boolean leafMatches(JsonNode e, JsonNode a, Schema s) {
        if (isTime(s)) {
            return a.isIntegralNumber() && Instant.parse(e.asText()).toEpochMilli() == a.longValue();
        }
        return switch (s.getType()) {
            case DOUBLE, FLOAT -> a.isNumber() && decimalMatches(e.decimalValue(), a.doubleValue());
            case INT, LONG -> a.isIntegralNumber() && e.isIntegralNumber() && e.bigIntegerValue().equals(a.bigIntegerValue());
            case BOOLEAN -> a.isBoolean() && e.isBoolean() && a.booleanValue() == e.booleanValue();
            case BYTES -> display(a, s).asText().equals(e.asText());
            default -> a.isValueNode() && a.asText().equals(e.asText());
        };
    }

    /** As precise as written: 10.83 matches what rounds to 10.83; 99 matches 99 (to a billionth). */
    static boolean decimalMatches(BigDecimal expected, double actual) {
        if (!Double.isFinite(actual)) {
            return false;
        }
        if (expected.scale() > 0) {
            return new BigDecimal(actual).setScale(expected.scale(), RoundingMode.HALF_UP).compareTo(expected) == 0;
        }
        return Math.abs(actual - expected.doubleValue()) <= 1e-9 * Math.max(1, Math.abs(expected.doubleValue()));
    }

    private static long millis(JsonNode e, String path) {
        if (e.isIntegralNumber()) {
            return e.longValue();
        }
        return Scenario.instant(e, path).toEpochMilli();
    }

    private static boolean isTime(Schema s) {
        return s.getType() == Schema.Type.LONG && s.getLogicalType() instanceof LogicalTypes.TimestampMillis;
    }

    private static Schema nonNull(Schema union) {
        return union.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
    }

    private static ObjectNode object(JsonNode e, String path) {
        if (e == null || !e.isObject()) {
            throw new IllegalArgumentException(path + " must be a mapping");
        }
        return NODES.objectNode();
    }
}
