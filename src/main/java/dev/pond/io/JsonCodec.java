package dev.pond.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pond's JSON Lines form of its Avro records, used by {@code replay}, {@code generate} and tests:
 * one object per line, field names exactly as in the schemas, timestamps as epoch milliseconds,
 * enums as symbol names, bytes as Base64, optional fields may be absent. Unlike Avro's own JSON
 * encoding, unions are not wrapped, so a person can write the lines by hand.
 *
 * <p>Writing is deterministic (fields in schema order, map keys sorted), so the same records give
 * the same bytes. Reading is strict: an unknown field, a missing required field, a wrong type or
 * an unknown enum symbol is an error naming the field.
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonCodec() {}

    /** The record as one line of JSON. */
    public static String write(IndexedRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeValue(g, record.getSchema(), record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Reads one record of {@code type} from a line of JSON.
     *
     * @throws IOException naming the field, if the line is not a valid record
     */
    public static <T extends SpecificRecord> T read(String line, Class<T> type) throws IOException {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IOException("not JSON: " + firstLine(e.getMessage()));
        }
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        @SuppressWarnings("unchecked")
        T record = (T) readValue(node, schema, schema.getName(), model);
        return record;
    }

    private static void writeValue(JsonGenerator g, Schema s, Object v) throws IOException {
        switch (s.getType()) {
            case RECORD -> {
                IndexedRecord r = (IndexedRecord) v;
                g.writeStartObject();
                for (Schema.Field f : s.getFields()) {
                    g.writeFieldName(f.name());
                    writeValue(g, f.schema(), r.get(f.pos()));
                }
                g.writeEndObject();
            }
            case UNION -> {
                if (v == null) {
                    g.writeNull();
                } else {
                    writeValue(g, s.getTypes().get(GenericData.get().resolveUnion(s, plain(v))), v);
                }
            }
            case ARRAY -> {
                g.writeStartArray();
                for (Object item : (List<?>) v) {
                    writeValue(g, s.getElementType(), item);
                }
                g.writeEndArray();
            }
            case MAP -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : new TreeMap<>((Map<?, ?>) v).entrySet()) {
                    g.writeFieldName(e.getKey().toString());
                    writeValue(g, s.getValueType(), e.getValue());
                }
                g.writeEndObject();
            }
            case STRING, ENUM -> g.writeString(v.toString());
            case BYTES -> {
                ByteBuffer b = ((ByteBuffer) v).duplicate();
                byte[] raw = new byte[b.remaining()];
                b.get(raw);
                g.writeString(Base64.getEncoder().encodeToString(raw));
            }
            case INT -> g.writeNumber((Integer) v);
            case LONG -> g.writeNumber(v instanceof Instant i ? i.toEpochMilli() : (Long) v);
            case FLOAT -> g.writeNumber((Float) v);
            case DOUBLE -> g.writeNumber((Double) v);
            case BOOLEAN -> g.writeBoolean((Boolean) v);
            case NULL -> g.writeNull();
            default -> throw new IllegalArgumentException("unsupported schema type " + s.getType());
        }
    }

    /** Union resolution needs the Avro type, not the logical one. */
    private static Object plain(Object v) {
        return v instanceof Instant i ? i.toEpochMilli() : v;
    }

    private static Object readValue(JsonNode n, Schema s, String path, SpecificData model) throws IOException {
        switch (s.getType()) {
            case RECORD -> {
                if (!n.isObject()) {
                    throw new IOException(path + ": expected an object");
                }
                IndexedRecord r = (IndexedRecord) model.newRecord(null, s);
                for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (s.getField(name) == null) {
                        throw new IOException(path + ": unknown field '" + name + "'");
                    }
                }
                for (Schema.Field f : s.getFields()) {
                    JsonNode value = n.get(f.name());
                    String fieldPath = path + "." + f.name();
                    if (value == null) {
                        if (!f.hasDefaultValue()) {
                            throw new IOException(fieldPath + ": missing");
                        }
                        r.put(f.pos(), model.deepCopy(f.schema(), model.getDefaultValue(f)));
                    } else {
                        r.put(f.pos(), readValue(value, f.schema(), fieldPath, model));
                    }
                }
                return r;
            }
            case UNION -> {
                if (n.isNull() && s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
                    return null;
                }
                IOException first = null;
                for (Schema branch : s.getTypes()) {
                    if (branch.getType() == Schema.Type.NULL) {
                        continue;
                    }
                    try {
                        return readValue(n, branch, path, model);
                    } catch (IOException e) {
                        first = first == null ? e : first;
                    }
                }
                throw first != null ? first : new IOException(path + ": must not be null");
            }
            case ARRAY -> {
                if (!n.isArray()) {
                    throw new IOException(path + ": expected an array");
                }
                List<Object> list = new ArrayList<>(n.size());
                for (JsonNode item : n) {
                    list.add(readValue(item, s.getElementType(), path + "[]", model));
                }
                return list;
            }
            case MAP -> {
                if (!n.isObject()) {
                    throw new IOException(path + ": expected an object");
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(e.getKey(), readValue(e.getValue(), s.getValueType(), path + "." + e.getKey(), model));
                }
                return map;
            }
            case STRING -> {
                return text(n, path);
            }
            case ENUM -> {
                String symbol = text(n, path);
                if (!s.hasEnumSymbol(symbol)) {
                    throw new IOException(path + ": unknown enum symbol '" + symbol + "' (expected one of "
                            + s.getEnumSymbols() + ")");
                }
                return model.createEnum(symbol, s);
            }
            case BYTES -> {
                try {
                    return ByteBuffer.wrap(Base64.getDecoder().decode(text(n, path)));
                } catch (IllegalArgumentException e) {
                    throw new IOException(path + ": not Base64");
                }
            }
            case INT -> {
                if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                    throw new IOException(path + ": expected a whole number (int)");
                }
                return n.intValue();
            }
            case LONG -> {
                if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                    throw new IOException(path + ": expected a whole number (long)");
                }
                return s.getLogicalType() instanceof LogicalTypes.TimestampMillis
                        ? Instant.ofEpochMilli(n.longValue())
                        : n.longValue();
            }
            case FLOAT, DOUBLE -> {
                if (!n.isNumber()) {
                    throw new IOException(path + ": expected a number");
                }
                return s.getType() == Schema.Type.FLOAT ? (Object) n.floatValue() : (Object) n.doubleValue();
            }
            case BOOLEAN -> {
                if (!n.isBoolean()) {
                    throw new IOException(path + ": expected true or false");
                }
                return n.booleanValue();
            }
            case NULL -> {
                if (!n.isNull()) {
                    throw new IOException(path + ": expected null");
                }
                return null;
            }
            default -> throw new IOException(path + ": unsupported schema type " + s.getType());
        }
    }

    private static String text(JsonNode n, String path) throws IOException {
        if (!n.isTextual()) {
            throw new IOException(path + ": expected a string");
        }
        return n.textValue();
    }

    private static String firstLine(String message) {
        int nl = message == null ? -1 : message.indexOf('\n');
        return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
    }
}
