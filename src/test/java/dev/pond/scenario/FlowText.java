package dev.pond.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A JSON value on one line in the style the scenario files use (YAML flow style: {@code {type:
 * CART_ABANDONED, firedAt: 2026-03-10T10:30:00Z}}), so that a failure reads like the scenario.
 */
final class FlowText {

    /** Text that YAML reads back as the same string without quotes. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_<][A-Za-z0-9_.:@/+<>-]*|\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");

    private FlowText() {}

    static String of(JsonNode node) {
        StringBuilder out = new StringBuilder();
        append(out, node);
        return out.toString();
    }

    private static void append(StringBuilder out, JsonNode node) {
        if (node.isObject()) {
            out.append('{');
            String sep = "";
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                out.append(sep).append(f.getKey()).append(": ");
                append(out, f.getValue());
                sep = ", ";
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            String sep = "";
            for (JsonNode item : node) {
                out.append(sep);
                append(out, item);
                sep = ", ";
            }
            out.append(']');
        } else if (node.isTextual()) {
            String s = node.textValue();
            boolean plain = PLAIN.matcher(s).matches() && !s.equals("null") && !s.equals("true") && !s.equals("false");
            out.append(plain ? s : quoted(s));
        } else if (node.isBigDecimal()) {
            out.append(node.decimalValue().toPlainString());
        } else {
            out.append(node.toString());
        }
    }

    private static String quoted(String s) {
        return TextNode.valueOf(s).toString();
    }
}
