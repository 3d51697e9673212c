package dev.pond.model.fit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading order files: CSV with dates or date-times, JSON Lines order events counted as the live
 * job counts them (PAID once per order, refunds and cancellations undo), and a bad line stops the
 * read naming the file, the line and the value.
 */
class OrderFileReaderTest {

    @TempDir
    Path tmp;

    private final List<String> progress = new ArrayList<>();

    private OrderFileReader.Orders read(String text) throws IOException {
        return new OrderFileReader(progress::add).read(Files.writeString(tmp.resolve("orders.txt"), text));
    }

    private static Purchase purchase(String user, String time, double total, String... categories) {
        return new Purchase(user, Instant.parse(time), total, List.of(categories));
    }

    @Test
    void csvTakesDatesDateTimesAndOffsets() throws IOException {
        OrderFileReader.Orders orders = read("""
                user_id,order_time,total,categories
                u1,2026-03-01,10.5,tea|coffee
                u1,2026-03-01T23:30:00Z,4,

                u2,2026-03-02T07:00:00+08:00,3.25, coffee | tea|tea\r
                u3,2026-03-03T10:15:00.250Z,0
                """);

        assertThat(orders.format()).isEqualTo("CSV");
        assertThat(orders.lines()).isEqualTo(6);
        assertThat(orders.undone()).isZero();
        assertThat(orders.purchases()).containsExactly(
                purchase("u1", "2026-03-01T00:00:00Z", 10.5, "coffee", "tea"),
                purchase("u1", "2026-03-01T23:30:00Z", 4),
                purchase("u2", "2026-03-01T23:00:00Z", 3.25, "coffee", "tea"),
                purchase("u3", "2026-03-03T10:15:00.250Z", 0));
        assertThat(progress).isEmpty();
    }

    @Test
    void csvWithoutCategoriesAndWithAByteOrderMark() throws IOException {
        assertThat(read("\uFEFFUSER_ID, order_time ,total\nu1,2026-03-01,7\n").purchases())
                .containsExactly(purchase("u1", "2026-03-01T00:00:00Z", 7));
    }

    @Test
    void orderEventsCountOncePerOrderWhenPaidAndRefundsUndo() throws IOException {
        OrderFileReader.Orders orders = read(String.join("\n",
                event("e1", "o1", "u1", "2026-03-01T10:00:00Z", "PLACED", 20),
                event("e2", "o1", "u1", "2026-03-01T10:01:00Z", "PAID", 20),
                event("e3", "o1", "u1", "2026-03-01T10:02:00Z", "PAID", 20), // a duplicate: still one purchase
                event("e4", "o2", "u1", "2026-03-02T10:00:00Z", "PAID", 30),
                event("e5", "o2", "u1", "2026-03-09T10:00:00Z", "REFUNDED", 30),
                event("e6", "o3", "u2", "2026-03-02T10:00:00Z", "CANCELLED", 5), // before payment
                event("e7", "o3", "u2", "2026-03-02T10:05:00Z", "PAID", 5), // of a closed order: not counted
                event("e8", "o9", "u2", "2026-03-03T10:00:00Z", "REFUNDED", 5), // of an unknown order
                "{\"eventId\":\"e9\",\"orderId\":\"o4\",\"userId\":\"u3\",\"ts\":1772445600000,\"status\":\"PAID\","
                        + "\"items\":[{\"productId\":\"t1\",\"category\":\"tea\",\"quantity\":1,\"unitPrice\":3.0},"
                        + "{\"productId\":\"x\",\"quantity\":1,\"unitPrice\":1.0},"
                        + "{\"productId\":\"c1\",\"category\":\"coffee\",\"quantity\":2,\"unitPrice\":1.5},"
                        + "{\"productId\":\"t2\",\"category\":\"tea\",\"quantity\":1,\"unitPrice\":1.0}],\"total\":7.0}"));

        assertThat(orders.format()).isEqualTo("JSON Lines order events");
        assertThat(orders.undone()).isEqualTo(1);
        assertThat(orders.purchases()).containsExactly(
                purchase("u1", "2026-03-01T10:01:00Z", 20),
                purchase("u3", "2026-03-02T10:00:00Z", 7, "coffee", "tea"));
    }

    private static String event(String id, String order, String user, String ts, String status, double total) {
        return "{\"eventId\":\"" + id + "\",\"orderId\":\"" + order + "\",\"userId\":\"" + user + "\",\"ts\":"
                + Instant.parse(ts).toEpochMilli() + ",\"status\":\"" + status + "\",\"total\":" + total + "}";
    }

    @Test
    void aBadLineStopsTheReadNamingFileLineAndValue() {
        Path file = tmp.resolve("orders.txt");
        assertThatThrownBy(() -> read("user_id,order_time,total\nu1,2026-03-01,10\n\nu2,2026-03-02,ten\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " line 4: 'ten' is not a total (a number, at least 0)");
        assertThatThrownBy(() -> read("user_id,order_time,total\nu1,2026-03-01,-3\n"))
                .hasMessage(file + " line 2: '-3' is not a total (a number, at least 0)");
        assertThatThrownBy(() -> read("user_id,order_time,total\nu1,yesterday,3\n"))
                .hasMessage(file + " line 2: 'yesterday' is not an ISO-8601 date (2026-03-01) or date-time with a zone"
                        + " (2026-03-01T10:15:00Z, 2026-03-01T10:15:00+08:00)");
        assertThatThrownBy(() -> read("user_id,order_time,total\nu1,2026-03-01T10:15:00,3\n"))
                .hasMessageStartingWith(file + " line 2: '2026-03-01T10:15:00' is not an ISO-8601 date");
        assertThatThrownBy(() -> read("user_id,order_time,total\nu1,2026-03-01,3,tea\n"))
                .hasMessage(file + " line 2: expected 3 columns (user_id,order_time,total), got 4: 'u1,2026-03-01,3,tea'");
        assertThatThrownBy(() -> read("user_id,when,total\n"))
                .hasMessage(file + " line 1: expected the header user_id,order_time,total[,categories],"
                        + " got 'user_id,when,total'");
        assertThatThrownBy(() -> read(event("e1", "o1", "u1", "2026-03-01T10:00:00Z", "PAID", 1) + "\n"
                + "{\"eventId\":\"e2\",\"orderId\":\"o2\",\"userId\":\"u1\",\"ts\":1,\"status\":\"PAID\"}\n"))
                .hasMessage(file + " line 2: OrderEvent.total: missing");
        assertThatThrownBy(() -> read(event("e1", "o1", "u1", "2026-03-01T10:00:00Z", "SHIPPED", 1)))
                .hasMessageStartingWith(file + " line 1: OrderEvent.status: unknown enum symbol 'SHIPPED'");
    }

    @Test
    void anEmptyOrMissingFileIsRefused() {
        assertThatThrownBy(() -> read("\n  \n")).hasMessage(tmp.resolve("orders.txt") + " has no orders");
        Path missing = tmp.resolve("missing.csv");
        assertThatThrownBy(() -> new OrderFileReader(progress::add).read(missing))
                .hasMessageStartingWith("cannot read " + missing);
    }

    @Test
    void progressIsReportedEveryNLines() throws IOException {
        Path file = Files.writeString(tmp.resolve("orders.csv"),
                "user_id,order_time,total\nu1,2026-03-01,1\nu1,2026-03-02,1\nu1,2026-03-03,1\nu1,2026-03-04,1\n");

        new OrderFileReader(progress::add, 2).read(file);

        assertThat(progress).containsExactly("orders.csv: read 2 lines…", "orders.csv: read 4 lines…");
    }
}
