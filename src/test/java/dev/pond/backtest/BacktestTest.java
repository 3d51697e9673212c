package dev.pond.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pond.demo.Generator;
import dev.pond.demo.JsonLinesEventSink;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.io.EventKind;
import dev.pond.io.JsonCodec;
import dev.pond.io.MergedEventFiles;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a backtest reports, on a history small enough to count by hand and on a seeded shop. */
class BacktestTest {

    private static final Instant T = Instant.parse("2026-03-10T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-04-01T00:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);

    /**
     * Ann (10:00) and Bob (11:00) leave carts: a reminder each 30 minutes later, and a second one a
     * day after that. Ann pays on the 12th, Bob never. Cai (seen 09:00) and Dan (09:30) only browse,
     * and Eve arrives at 11:15, between the two reminders; Cai pays on the 13th. So CART_ABANDONED
     * converts 1 of 2 users, and its baseline is Cai of {Cai, Dan} at Ann's reminder plus Cai of
     * {Cai, Dan, Eve} at Bob's: 2 of 5. Without second reminders (the compared model) the same
     * users get 2 messages instead of 4.
     */
    @Test
    void countsConversionsAndTheirBaselineAsByHand(@TempDir Path dir) throws Exception {
        Path clicks = dir.resolve("clicks.jsonl");
        Path orders = dir.resolve("orders.jsonl");
        write(clicks, List.of(
                click("c1", "cai", T.minusSeconds(3600), ClickType.PAGE_VIEW, null),
                click("c2", "dan", T.minusSeconds(1800), ClickType.PAGE_VIEW, null),
                click("c3", "ann", T, ClickType.ADD_TO_CART, "serum"),
                click("c4", "bob", T.plusSeconds(3600), ClickType.ADD_TO_CART, "serum"),
                click("c5", "eve", T.plusSeconds(4500), ClickType.PAGE_VIEW, null)));
        write(orders, List.of(
                order("o1", "A1", "ann", T.plus(Duration.ofDays(2)), OrderStatus.PAID),
                order("o2", "C1", "cai", T.plus(Duration.ofDays(3)), OrderStatus.PAID)));
        Model noSecond = ModelLoader.fromYaml("""
                version: no-second-reminder
                triggers:
                  cartAbandoned:
                    secondReminder: {enabled: false}
                """, "the test's model");
        Map<String, Model> models = new LinkedHashMap<>();
        models.put("default", ModelLoader.defaults());
        models.put("no-second-reminder", noSecond);

        Backtest.Result r = Backtest.run(models, new Backtest.Request(List.of(
                new MergedEventFiles.Input(EventKind.CLICK, clicks.toString()),
                new MergedEventFiles.Input(EventKind.ORDER, orders.toString())),
                Instant.parse("2026-03-20T00:00:00Z"), WEEK, NOW, dir.resolve("replays")));

        assertThat(r.users()).isEqualTo(5);
        TriggerOutcomes.PerType cart = r.runs().get(0).types().get(TriggerType.CART_ABANDONED);
        assertThat(cart.sent()).isEqualTo(4);
        assertThat(cart.perDay()).containsExactly(Map.entry(LocalDate.parse("2026-03-10"), 2),
                Map.entry(LocalDate.parse("2026-03-11"), 2));
        assertThat(cart.deferred()).isZero();
        assertThat(cart.notSent()).isEmpty();
        assertThat(cart.usersTargeted()).isEqualTo(2);
        assertThat(cart.usersConverted()).isEqualTo(1);
        assertThat(cart.comparisons()).isEqualTo(5);
        assertThat(cart.comparisonsConverted()).isEqualTo(2);
        assertThat(cart.conversion()).isEqualTo(0.5);
        assertThat(cart.baseline()).isEqualTo(0.4);
        assertThat(r.runs().get(0).types().get(TriggerType.WELCOME).usersTargeted()).isEqualTo(2);

        TriggerOutcomes.PerType once = r.runs().get(1).types().get(TriggerType.CART_ABANDONED);
        assertThat(once.sent()).isEqualTo(2);
        assertThat(once.usersConverted()).isEqualTo(1);
        assertThat(r.runs().get(1).version()).isEqualTo("no-second-reminder");
        assertThat(r.overlap().get(TriggerType.CART_ABANDONED)).isEqualTo(new Backtest.Overlap(2, 2, 2));
        assertThat(r.overlap().get(null)).isEqualTo(new Backtest.Overlap(3, 3, 3));

        BacktestReport.write(r, dir.resolve("report"));
        String md = Files.readString(dir.resolve("report/backtest.md"));
        assertThat(md).contains("| CART_ABANDONED | 4 | 0.4 / 2 | 0 | 0 | 2 | 50.0% (1 of 2) | 40.0% (2 of 5) |");
        assertThat(md).contains("| CART_ABANDONED | 2 | 0.2 / 2 | 0 | 0 | 2 | 50.0% (1 of 2) | 40.0% (2 of 5) |");
        assertThat(md).contains("| any | 3 | 3 | 3 |");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report/backtest.json").toFile());
        assertThat(json.at("/runs/0/triggers/CART_ABANDONED/perDay/2026-03-11").asInt()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("report/triggers-per-day.svg"))).startsWith("<svg").contains("polyline");
    }

    /** On a seeded shop the report's counts are the replay's own, type by type and reason by reason. */
    @Test
    void aSeededShopsCountsAreTheReplays(@TempDir Path dir) throws Exception {
        Instant start = Instant.parse("2026-02-01T00:00:00Z");
        Generator generator = new Generator(new Generator.Config(11, 120, start, start.plus(Duration.ofDays(45)),
                Duration.ofDays(15)));
        try (JsonLinesEventSink sink = new JsonLinesEventSink(dir.resolve("events"))) {
            while (generator.hasNext()) {
                sink.write(generator.next());
            }
        }
        List<MergedEventFiles.Input> inputs = List.of(
                new MergedEventFiles.Input(EventKind.CLICK, dir.resolve("events/clicks.jsonl").toString()),
                new MergedEventFiles.Input(EventKind.READ, dir.resolve("events/reads.jsonl").toString()),
                new MergedEventFiles.Input(EventKind.ORDER, dir.resolve("events/orders.jsonl").toString()));

        Backtest.Result r = Backtest.run(Map.of("default", ModelLoader.defaults()),
                new Backtest.Request(inputs, null, WEEK, NOW, dir.resolve("replays")));

        ObjectMapper json = new ObjectMapper();
        Map<TriggerType, Integer> sent = new EnumMap<>(TriggerType.class);
        for (String line : Files.readAllLines(dir.resolve("replays/default/triggers.jsonl"))) {
            sent.merge(TriggerType.valueOf(json.readTree(line).get("type").asText()), 1, Integer::sum);
        }
        Map<TriggerType, Map<TriggerOutcome, Integer>> held = new EnumMap<>(TriggerType.class);
        for (String line : Files.readAllLines(dir.resolve("replays/default/notsent.jsonl"))) {
            JsonNode n = json.readTree(line);
            held.computeIfAbsent(TriggerType.valueOf(n.get("type").asText()), k -> new EnumMap<>(TriggerOutcome.class))
                    .merge(TriggerOutcome.valueOf(n.get("outcome").asText()), 1, Integer::sum);
        }
        assertThat(sent.size()).as("trigger types sent").isGreaterThan(3);
        assertThat(held).as("some triggers held back").isNotEmpty();
        Map<TriggerType, TriggerOutcomes.PerType> types = r.runs().get(0).types();
        sent.forEach((type, n) -> assertThat(types.get(type).sent()).as("%s sent", type).isEqualTo(n));
        held.forEach((type, byOutcome) -> assertThat(types.get(type).notSent()).as("%s held", type)
                .isEqualTo(byOutcome));
        for (TriggerOutcomes.PerType t : types.values()) {
            assertThat(t.perDay().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(t.sent());
            assertThat(t.usersConverted()).isBetween(0, t.usersTargeted());
            assertThat(t.comparisonsConverted()).isBetween(0L, t.comparisons());
        }
        assertThat(r.users()).isEqualTo(120);
    }

    private static void write(Path file, List<? extends SpecificRecord> records) throws Exception {
        Files.write(file, records.stream().map(JsonCodec::write).toList(), StandardCharsets.UTF_8);
    }

    private static ClickEvent click(String id, String user, Instant ts, ClickType type, String product) {
        return ClickEvent.newBuilder().setEventId(id).setUserId(user).setTs(ts).setType(type).setProductId(product)
                .setCategory(product == null ? null : "skincare").setPrice(product == null ? null : 99.0)
                .setQuery(null).setChannel("app").setSessionId(null).build();
    }

    private static OrderEvent order(String id, String orderId, String user, Instant ts, OrderStatus status) {
        return OrderEvent.newBuilder().setEventId(id).setOrderId(orderId).setUserId(user).setTs(ts).setStatus(status)
                .setItems(List.of(new OrderItem("serum", "skincare", 1, 99.0))).setTotal(99.0).setCurrency("CNY")
                .setChannel("app").build();
    }
}
