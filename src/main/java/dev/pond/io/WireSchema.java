package dev.pond.io;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema of a record as it travels on a topic: the {@code .avsc} schema with every enum
 * replaced by a string holding the symbol's name. Flink SQL's {@code avro} format derives its
 * schema from a table's columns and has no enum type, so an enum's index on the wire would be
 * unreadable to it; a string column reads the name. The generated Java classes keep their enums,
 * and so does the state (schemas/state), whose encoding savepoints depend on.
 *
 * <p>Each such string carries the properties {@value #ENUM} (the enum's full name) and
 * {@value #SYMBOLS} (its symbols), so that decoding can check the name and turn it back into the
 * enum. An enum may not be a branch of a union (none is in Pond's schemas): a string branch could
 * not tell it from a real string. Recursive records are not supported (Pond has none).
 */
public final class WireSchema {

    /** The property naming the enum a string stands for. */
    public static final String ENUM = "pond.enum";
    /** The property listing the symbols that string may hold. */
    public static final String SYMBOLS = "pond.symbols";

    private final Map<String, Schema> records = new HashMap<>();

    private WireSchema() {}

    /** The wire schema of {@code schema}; the same object where there is no enum inside. */
    public static Schema of(Schema schema) {
        return new WireSchema().wire(schema);
    }

    /** The symbols the string {@code schema} may hold, or null if it does not stand for an enum. */
    @SuppressWarnings("unchecked")
    static List<String> symbols(Schema schema) {
        return (List<String>) schema.getObjectProp(SYMBOLS);
    }

    private Schema wire(Schema s) {
        return switch (s.getType()) {
            case ENUM -> {
                Schema string = Schema.create(Schema.Type.STRING);
                string.addProp("avro.java.string", "String");
                string.addProp(ENUM, s.getFullName());
                string.addProp(SYMBOLS, s.getEnumSymbols());
                yield string;
            }
            case RECORD -> record(s);
            case ARRAY -> {
                Schema items = wire(s.getElementType());
                yield items == s.getElementType() ? s : Schema.createArray(items);
            }
            case MAP -> {
                Schema values = wire(s.getValueType());
                yield values == s.getValueType() ? s : Schema.createMap(values);
            }
            case UNION -> union(s);
            default -> s;
        };
    }

    private Schema record(Schema s) {
        Schema done = records.get(s.getFullName());
        if (done != null) {
            return done;
        }
        List<Schema.Field> fields = new ArrayList<>();
        boolean changed = false;
        for (Schema.Field f : s.getFields()) {
            Schema w = wire(f.schema());
            changed |= w != f.schema();
            // Copies the default as the schema file wrote it: through defaultVal() a long's 0 would
            // come back as a Long, and the copy would no longer equal its own parsed text.
            fields.add(new Schema.Field(f, w));
        }
        if (!changed) {
            return s;
        }
        Schema copy = Schema.createRecord(s.getName(), s.getDoc(), s.getNamespace(), s.isError(), fields);
        s.getObjectProps().forEach(copy::addProp);
        records.put(s.getFullName(), copy);
        return copy;
    }

    private Schema union(Schema s) {
        List<Schema> branches = new ArrayList<>();
        boolean changed = false;
        for (Schema b : s.getTypes()) {
            if (b.getType() == Schema.Type.ENUM) {
                throw new IllegalArgumentException("enum " + b.getFullName() + " is a union branch; on the wire "
                        + "it would be a string no reader could tell from another string branch");
            }
            Schema w = wire(b);
            changed |= w != b;
            branches.add(w);
        }
        return changed ? Schema.createUnion(branches) : s;
    }
}
