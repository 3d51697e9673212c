package dev.pond.io;

import dev.pond.control.ModelUpdate;
import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.job.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code schemas/wire/}: one file per topic, as the build generates it, each readable alone by
 * Avro's parser, with no enum left, describing exactly the bytes Pond writes. The outputs' records
 * written by the real job are decoded with these files in {@code PondJobIT}; here, the inputs' and
 * the control topic's.
 */
class WireSchemasTest {

    private static final Instant TS = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void everyTopicHasItsFileAsTheBuildWritesItAndNoOtherFileIsThere() throws IOException {
        Map<String, Schema> byTopic = WireSchemas.byTopic();
        assertThat(byTopic.keySet()).containsExactlyInAnyOrderElementsOf(Topics.defaults().all());
        List<String> files;
        try (Stream<java.nio.file.Path> list = Files.list(WireSchemaFiles.DIR)) {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(
                byTopic.keySet().stream().map(t -> t + ".avsc").toList());
        for (Map.Entry<String, Schema> e : byTopic.entrySet()) {
            assertThat(Files.readString(WireSchemaFiles.DIR.resolve(e.getKey() + ".avsc"), StandardCharsets.UTF_8))
                    .as("schemas/wire/%s.avsc is what the build generates (mvn package writes it)", e.getKey())
                    .isEqualTo(WireSchemas.text(e.getValue()));
        }
    }

    @Test
    void eachFileParsesAloneHasNoEnumAndIsTheSchemaPondWrites() throws IOException {
        Map<String, Class<? extends org.apache.avro.specific.SpecificRecord>> types = Map.of(
                "pond.clicks", ClickEvent.class, "pond.reads", ArticleRead.class, "pond.orders", OrderEvent.class,
                "pond.control", ModelUpdate.class, "pond.triggers", dev.pond.out.Trigger.class,
                "pond.tags", dev.pond.out.TagChange.class, "pond.profiles", dev.pond.out.Profile.class,
                "pond.segments", dev.pond.out.SegmentCount.class, "pond.alerts", dev.pond.out.SegmentAlert.class,
                "pond.deadletter", dev.pond.out.DeadLetter.class);
        assertThat(types.keySet()).containsExactlyInAnyOrderElementsOf(Topics.defaults().all());
        for (Map.Entry<String, Class<? extends org.apache.avro.specific.SpecificRecord>> e : types.entrySet()) {
            Schema alone = WireSchemaFiles.parse(e.getKey()); // a fresh parser: nothing defined before
            assertThat(enums(alone, new HashSet<>())).as("enums in %s", e.getKey()).isEmpty();
            assertThat(SchemaNormalization.toParsingForm(alone)).as(e.getKey())
                    .isEqualTo(SchemaNormalization.toParsingForm(codec(e.getValue()).wireSchema()));
        }
    }

    @Test
    void theInputsAndTheControlTopicDecodeWithTheirFileAlone() throws IOException {
        ClickEvent click = ClickEvent.newBuilder().setEventId("c-1").setUserId("ann").setTs(TS)
                .setType(ClickType.ADD_TO_CART).setProductId("serum").setCategory("skincare").setPrice(99.0)
                .setQuery(null).setChannel("wechat").setSessionId("s-1").setTimeZone("Asia/Shanghai").build();
        GenericRecord c = decode("pond.clicks", encode(click));
        assertThat(c.get("type").toString()).isEqualTo("ADD_TO_CART");
        assertThat(c.get("ts")).isEqualTo(TS.toEpochMilli());
        assertThat(c.get("timeZone").toString()).isEqualTo("Asia/Shanghai");

        ArticleRead read = ArticleRead.newBuilder().setEventId("r-1").setUserId("cy").setTs(TS).setArticleId("a-1")
                .setTopics(List.of("sensitive-skin")).setOpened(true).setDwellMs(40_000).setScrollDepth(0.9)
                .setShares(1).build();
        GenericRecord r = decode("pond.reads", encode(read));
        assertThat(r.get("dwellMs")).isEqualTo(40_000L);
        assertThat(r.get("topics").toString()).isEqualTo("[sensitive-skin]");

        OrderEvent order = OrderEvent.newBuilder().setEventId("o-1").setOrderId("order-1").setUserId("dee").setTs(TS)
                .setStatus(OrderStatus.PAID).setItems(List.of(new OrderItem("cream", "skincare", 2, 150.0)))
                .setTotal(300.0).setCurrency("CNY").setChannel("web").build();
        GenericRecord o = decode("pond.orders", encode(order));
        assertThat(o.get("status").toString()).isEqualTo("PAID");
        assertThat(((GenericRecord) ((List<?>) o.get("items")).get(0)).get("quantity")).isEqualTo(2);

        ModelUpdate update = new ModelUpdate("v2", "version: v2\n", "ops", "a note", TS, true);
        GenericRecord u = decode("pond.control", encode(update));
        assertThat(u.get("version").toString()).isEqualTo("v2");
        assertThat(u.get("retag")).isEqualTo(true);
    }

    /** Decoded by the topic's file alone, and written back by it to the very same bytes (no maps here). */
    private static GenericRecord decode(String topic, byte[] bytes) throws IOException {
        Schema alone = WireSchemaFiles.parse(topic);
        GenericRecord record = WireSchemaFiles.decodeExactly(alone, bytes);
        assertThat(WireSchemaFiles.encode(alone, record)).as("a %s written back", topic).isEqualTo(bytes);
        return record;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AvroCodec<?> codec(Class<? extends org.apache.avro.specific.SpecificRecord> type) {
        return new AvroCodec(type);
    }

    @SuppressWarnings("unchecked")
    private static <T extends org.apache.avro.specific.SpecificRecord> byte[] encode(T record) {
        return new AvroCodec<>((Class<T>) record.getClass()).encode(record);
    }

    private static List<String> enums(Schema s, Set<String> seen) {
        List<String> found = new ArrayList<>();
        switch (s.getType()) {
            case ENUM -> found.add(s.getFullName());
            case RECORD -> {
                if (seen.add(s.getFullName())) {
                    s.getFields().forEach(f -> found.addAll(enums(f.schema(), seen)));
                }
            }
            case ARRAY -> found.addAll(enums(s.getElementType(), seen));
            case MAP -> found.addAll(enums(s.getValueType(), seen));
            case UNION -> s.getTypes().forEach(b -> found.addAll(enums(b, seen)));
            default -> { }
        }
        return found;
    }
}
