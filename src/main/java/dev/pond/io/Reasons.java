package dev.pond.io;

/**
 * Makes the text of a dead letter's reason safe to show and store: the values a reason quotes come
 * from whoever produced the record, so they may hold control bytes, lone surrogates or a megabyte
 * of anything. A reason is printable (no character below 0x20, no DEL or C1 control, no lone
 * surrogate: each is written as {@code \xNN} or {@code \\uNNNN}) and at most {@link #MAX_REASON}
 * characters long. A value it quotes ({@link #value}) is cut, and has its backslashes doubled too, so
 * that an escape in the value cannot pass for one of ours.
 */
public final class Reasons {

    /** The longest reason, in characters (UTF-16 units), cut marker included. */
    public static final int MAX_REASON = 1024;
    /** The longest quoted value inside a reason, in characters before escaping. */
    public static final int MAX_VALUE = 64;

    private static final String CUT = "...";

    private Reasons() {}

    /** {@code reason} escaped and cut to {@link #MAX_REASON}; "unknown error" for null. */
    public static String printable(String reason) {
        return printable(reason, MAX_REASON);
    }

    /** {@code reason} escaped and cut to {@code max} characters; "unknown error" for null. */
    public static String printable(String reason, int max) {
        return escape(reason == null ? "unknown error" : reason, max, false);
    }

    /**
     * A value from the input as a reason quotes it: escaped, at most {@link #MAX_VALUE} of its
     * characters, then "..." and its length if it was longer.
     */
    public static String value(String raw) {
        if (raw == null) {
            return "null";
        }
        if (raw.length() <= MAX_VALUE) {
            return escape(raw, Integer.MAX_VALUE, true);
        }
        return escape(raw.substring(0, MAX_VALUE), Integer.MAX_VALUE, true) + CUT + " (" + raw.length() + " characters)";
    }

    /**
     * Escapes what is not printable (and backslashes, where {@code backslash}); at most {@code max}
     * characters of output, the last three "..." where it was cut.
     */
    private static String escape(String s, int max, boolean backslash) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 8);
        int fits = 0; // the output's length at the last piece boundary that leaves room for the mark
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (c == '\\' && backslash) {
                out.append("\\\\");
            } else {
                out.append(c);
            }
            if (out.length() > max) {
                out.setLength(fits);
                return out.append(CUT).toString();
            }
            if (out.length() <= max - CUT.length()) {
                fits = out.length();
            }
        }
        return out.toString();
    }
}
