package dev.pond.testing;

import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.io.JsonCodec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CDNOW sample (Fader and Hardie's 1/10th sample of CDNOW's 1997 cohort: 2,357 customers,
 * 6,919 purchases from 1997-01-01 to 1998-06-30) for tests that check Pond's fits against the
 * published ones, and as orders to replay through the job.
 *
 * <p>The data live outside the project, in {@code shared/data/cdnow} next to it (as CI checks
 * them out), or wherever the system property {@value #PROPERTY} points ({@code shared/data}).
 * Where they are absent, tests skip with {@link #MISSING}.
 *
 * <p>{@code CDNOW_sample.txt} has CRLF lines of whitespace-separated master id, sample id,
 * yyyymmdd, CDs and dollars. Eight rows (all the single purchase of a one-time buyer) cost $0.00;
 * they are kept as purchases of value 0, as in the published analyses, which count those
 * customers among the 2,357. No row has 0 CDs; a quantity is still at least 1, as the order
 * schema requires.
 */
public final class Cdnow {

    /** Points at the {@code shared/data} folder when it is not next to the project. */
    public static final String PROPERTY = "pond.shared.data";

    public static final String MISSING = "CDNOW data not found: expected shared/data/cdnow next to the project,"
            + " or -D" + PROPERTY + "=<path of shared/data>";

    /** One line of the sample. {@code line} is its 1-based line number in the file. */
    public record Row(int line, String masterId, String sampleId, LocalDate date, int cds, String dollars) {

        public double value() {
            return Double.parseDouble(dollars);
        }
    }

    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    private Cdnow() {}

    /** The {@code shared/data/cdnow} folder, if present. */
    public static Optional<Path> folder() {
        String property = System.getProperty(PROPERTY);
        Path data = property != null && !property.isBlank() ? Path.of(property)
                : Path.of("").toAbsolutePath().getParent().resolve("shared/data");
        Path cdnow = data.resolve("cdnow");
        return Files.isDirectory(cdnow) ? Optional.of(cdnow) : Optional.empty();
    }

    /** {@code CDNOW_sample.txt}, if present. */
    public static Optional<Path> sampleFile() {
        return folder().map(f -> f.resolve("CDNOW_sample.txt")).filter(Files::isRegularFile);
    }

    /** {@code cdnow_customers_summary.csv} (ID = sample id, frequency, recency, T), if present. */
    public static Optional<Path> customersSummaryFile() {
        return folder().map(f -> f.resolve("cdnow_customers_summary.csv")).filter(Files::isRegularFile);
    }

    /** The rows of the sample, in file order. */
    public static List<Row> read(Path sample) {
        List<Row> rows = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(sample, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 5) {
                throw new IllegalArgumentException(sample + " line " + (i + 1) + ": expected 5 fields: " + line);
            }
            rows.add(new Row(i + 1, f[0], f[1], LocalDate.parse(f[2], YYYYMMDD), Integer.parseInt(f[3]), f[4]));
        }
        return rows;
    }

    /**
     * Writes the sample as {@code pond fit} CSV: user_id = master id, order_time = the date,
     * total = dollars (as written in the sample), categories = music.
     */
    public static void writeCsv(Path sample, Path out) {
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("user_id,order_time,total,categories\n");
            for (Row r : read(sample)) {
                w.write(r.masterId() + "," + r.date() + "," + r.dollars() + ",music\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #writeOrderEvents(Path, Path, LocalDate)} with every row. */
    public static void writeOrderEvents(Path sample, Path out) {
        writeOrderEvents(sample, out, null);
    }

    /**
     * Writes the sample as JSON Lines {@link OrderEvent}s, in file order: one PAID event per row,
     * orderId {@code cd-<master id>-<line>}, eventId {@code cd-<line>-paid}, userId the master id,
     * ts the date at 00:00 UTC, one item (productId {@code cd}, category {@code music}, quantity
     * max(1, CDs), unitPrice dollars / quantity), total the dollars, currency USD.
     *
     * @param through only rows on or before this date; null for all
     */
    public static void writeOrderEvents(Path sample, Path out, LocalDate through) {
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Row r : read(sample)) {
                if (through == null || !r.date().isAfter(through)) {
                    w.write(JsonCodec.write(event(r)));
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OrderEvent event(Row r) {
        int quantity = Math.max(1, r.cds());
        return OrderEvent.newBuilder()
                .setEventId("cd-" + r.line() + "-paid")
                .setOrderId("cd-" + r.masterId() + "-" + r.line())
                .setUserId(r.masterId())
                .setTs(r.date().atStartOfDay(ZoneOffset.UTC).toInstant())
                .setStatus(OrderStatus.PAID)
                .setItems(List.of(new OrderItem("cd", "music", quantity, r.value() / quantity)))
                .setTotal(r.value())
                .setCurrency("USD")
                .setChannel(null)
                .build();
    }
}
