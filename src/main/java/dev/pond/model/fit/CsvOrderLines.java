package dev.pond.model.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Orders as CSV: a header {@code user_id,order_time,total} with an optional fourth column
 * {@code categories} ({@code |}-separated), then one order per line. Fields are not quoted, so a
 * comma cannot occur inside one. Every line is a purchase; refunds are simply left out of such a
 * file.
 */
final class CsvOrderLines implements OrderLines {

    private static final List<String> COLUMNS = List.of("user_id", "order_time", "total", "categories");

    private final List<Purchase> purchases = new ArrayList<>();
    /** One copy of each user id and category: a large file repeats them millions of times. */
    private final Map<String, String> names = new HashMap<>();
    private int columns;

    @Override
    public void accept(String line) {
        String[] fields = line.split(",", -1);
        if (columns == 0) {
            header(line, fields);
            return;
        }
        if (fields.length != columns && !(columns == 4 && fields.length == 3)) {
            throw new IllegalArgumentException("expected " + columns + " columns ("
                    + String.join(",", COLUMNS.subList(0, columns)) + "), got " + fields.length + ": '" + line + "'");
        }
        String user = intern(fields[0].trim());
        if (user.isEmpty()) {
            throw new IllegalArgumentException("empty user_id: '" + line + "'");
        }
        purchases.add(new Purchase(user, OrderTime.parse(fields[1]), total(fields[2]),
                fields.length > 3 ? categories(fields[3]) : List.of()));
    }

    private void header(String line, String[] fields) {
        List<String> names = Arrays.stream(fields).map(f -> f.trim().toLowerCase(Locale.ROOT)).toList();
        if (!(names.equals(COLUMNS.subList(0, 3)) || names.equals(COLUMNS))) {
            throw new IllegalArgumentException(
                    "expected the header user_id,order_time,total[,categories], got '" + line + "'");
        }
        columns = names.size();
    }

    private static double total(String value) {
        double total;
        try {
            total = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            total = Double.NaN;
        }
        if (!(total >= 0) || Double.isInfinite(total)) {
            throw new IllegalArgumentException("'" + value + "' is not a total (a number, at least 0)");
        }
        return total;
    }

    private List<String> categories(String value) {
        if (value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split("\\|")).map(String::trim).filter(c -> !c.isEmpty())
                .map(this::intern).distinct().sorted().toList();
    }

    private String intern(String name) {
        return names.computeIfAbsent(name, n -> n);
    }

    @Override
    public List<Purchase> purchases() {
        return purchases;
    }

    @Override
    public int undone() {
        return 0;
    }
}
