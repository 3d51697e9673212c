package dev.pond.io;

import org.apache.avro.Schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A structural check of Avro binary data against a schema, before decoding it: every length and
 * count fits in the bytes that are left, every enum and union index exists, every enum name on
 * the {@linkplain WireSchema wire} is a symbol, nothing trails. Avro's
 * decoder would otherwise allocate whatever a corrupt length claims (up to 2 GB) before noticing
 * that the bytes are missing; here garbage costs one pass and yields a precise reason.
 *
 * <p>Counts of array and map items are bounded by the bytes left, which holds for Pond's schemas:
 * no item type there encodes in zero bytes.
 */
final class BinaryShape {

    private final byte[] bytes;
    private int pos;

    private BinaryShape(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Why bytes are not one record of a schema, and how far into them they fitted it. */
    static final class Misfit extends IOException {
        private static final long serialVersionUID = 1L;
        /** Bytes read before the misfit. */
        final int fitted;
        /** Whether everything fitted up to a value that is no symbol of its enum. */
        final boolean unknownSymbol;

        Misfit(String message, int fitted, boolean unknownSymbol) {
            super(message);
            this.fitted = fitted;
            this.unknownSymbol = unknownSymbol;
        }

        /** Whether this explains the bytes better than {@code other}: it fits more, or as much up to a symbol. */
        boolean closerThan(Misfit other) {
            return fitted > other.fitted || (fitted == other.fitted && unknownSymbol && !other.unknownSymbol);
        }
    }

    /** A value that is not one of its enum's symbols. */
    private static final class UnknownSymbol extends IOException {
        private static final long serialVersionUID = 1L;

        UnknownSymbol(String message) {
            super(message);
        }
    }

    /** Throws a {@link Misfit} naming the field if {@code bytes} is not exactly one {@code schema}. */
    static void check(Schema schema, byte[] bytes) throws Misfit {
        BinaryShape shape = new BinaryShape(bytes);
        try {
            shape.walk(schema, schema.getName());
        } catch (IOException e) {
            throw new Misfit(e.getMessage(), shape.pos, e instanceof UnknownSymbol);
        }
        if (shape.pos != bytes.length) {
            throw new Misfit((bytes.length - shape.pos) + " trailing bytes after a complete " + schema.getName(),
                    shape.pos, false);
        }
    }

    /** Whether {@code bytes} are exactly one {@code schema}. */
    static boolean fits(Schema schema, byte[] bytes) {
        try {
            check(schema, bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void walk(Schema s, String path) throws IOException {
        switch (s.getType()) {
            case NULL -> { }
            case BOOLEAN -> skip(1, path);
            case INT, LONG -> varLong(path);
            case FLOAT -> skip(4, path);
            case DOUBLE -> skip(8, path);
            case FIXED -> skip(s.getFixedSize(), path);
            case BYTES -> skip(length(path), path);
            case STRING -> {
                long n = length(path);
                int start = pos;
                skip(n, path);
                List<String> symbols = WireSchema.symbols(s);
                if (symbols != null) {
                    String name = new String(bytes, start, (int) n, StandardCharsets.UTF_8);
                    if (!symbols.contains(name)) {
                        throw new UnknownSymbol(path + ": unknown " + simpleName(s.getProp(WireSchema.ENUM))
                                + " symbol '" + Reasons.value(name) + "'");
                    }
                }
            }
            case ENUM -> {
                long i = varLong(path);
                if (i < 0 || i >= s.getEnumSymbols().size()) {
                    throw new UnknownSymbol(path + ": unknown enum symbol (index " + i + "; " + s.getName() + " has "
                            + s.getEnumSymbols().size() + " symbols)");
                }
            }
            case UNION -> {
                long i = varLong(path);
                if (i < 0 || i >= s.getTypes().size()) {
                    throw new IOException(path + ": union branch " + i + " does not exist");
                }
                walk(s.getTypes().get((int) i), path);
            }
            case RECORD -> {
                for (Schema.Field f : s.getFields()) {
                    walk(f.schema(), path + "." + f.name());
                }
            }
            case ARRAY, MAP -> {
                long count;
                while ((count = varLong(path)) != 0) {
                    if (count < 0) {
                        count = -count;
                        varLong(path); // block size in bytes
                    }
                    if (count > bytes.length - pos) {
                        throw new IOException(path + ": " + count + " items cannot fit in " + (bytes.length - pos)
                                + " bytes");
                    }
                    for (long i = 0; i < count; i++) {
                        if (s.getType() == Schema.Type.MAP) {
                            skip(length(path), path);
                            walk(s.getValueType(), path + "[]");
                        } else {
                            walk(s.getElementType(), path + "[]");
                        }
                    }
                }
            }
        }
    }

    private static String simpleName(String fullName) {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }

    private long length(String path) throws IOException {
        long n = varLong(path);
        if (n < 0) {
            throw new IOException(path + ": negative length " + n);
        }
        return n;
    }

    private void skip(long n, String path) throws IOException {
        if (n > bytes.length - pos) {
            throw new IOException(path + ": needs " + n + " bytes, only " + (bytes.length - pos) + " left");
        }
        pos += (int) n;
    }

    /** Avro's zig-zag variable-length long. */
    private long varLong(String path) throws IOException {
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= bytes.length) {
                throw new IOException(path + ": data ends inside a number");
            }
            int b = bytes[pos++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IOException(path + ": malformed number");
    }
}
