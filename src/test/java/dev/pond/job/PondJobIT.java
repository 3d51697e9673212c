package dev.pond.job;

import dev.pond.core.TriggerIds;
import dev.pond.demo.JsonLinesEventSink;
import dev.pond.demo.KafkaEventSink;
import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.io.AvroCodec;
import dev.pond.io.EventKind;
import dev.pond.io.JsonCodec;
import dev.pond.io.KafkaClients;
import dev.pond.io.KafkaSinks;
import dev.pond.io.KafkaSources;
import dev.pond.io.TopicReader;
import dev.pond.io.WireSchemaFiles;
import dev.pond.io.MergedEventFiles;
import dev.pond.model.Model;
import dev.pond.testing.KafkaExtension;
import dev.pond.model.ModelLoader;
import dev.pond.out.DeadLetter;
import dev.pond.out.Lifecycle;
import dev.pond.out.Profile;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerItem;
import dev.pond.out.TriggerNote;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The whole job on real parts: Kafka's own broker (embedded), Flink's MiniCluster at parallelism
 * 2 with RocksDB and checkpoints, Avro on the wire. Events and bad records go into the input
 * topics; every output topic is read back with {@code read_committed} and checked exactly; and
 * the same events replayed from files give the same triggers and tags.
 */
class PondJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final Instant T0 = Instant.parse("2026-03-10T10:00:00Z");
    private static final Instant HORIZON = Instant.parse("2026-03-10T12:00:00Z");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    private final Model model = ModelLoader.defaults();

    @Test
    void scoresEventsFromKafkaIntoEveryOutputTopicExactlyOnce(@TempDir Path tmp) throws Exception {
        Topics topics = new Topics("it.clicks", "it.reads", "it.orders", "it.triggers", "it.tags",
                "it.profiles", "it.segments", "it.alerts", "it.deadletter", "it.control");
        KafkaClients.ensureTopics(KAFKA.clientConfig(), topics.all(), Set.of(topics.profiles()), 2, (short) 1);

        List<SpecificRecord> events = events();
        try (KafkaEventSink sink = new KafkaEventSink(KAFKA.bootstrapServers(), Map.of(), topics, 0, 1)) {
            for (SpecificRecord e : events) {
                sink.write(e);
            }
        }
        List<BadRecord> bad = produceBadRecords(topics);

        JobOptions options = JobOptions.defaults(KAFKA.bootstrapServers())
                .withTopics(topics)
                .withGroup("it-" + System.nanoTime(), "it-" + System.nanoTime())
                .withStart(JobOptions.StartFrom.EARLIEST, true);
        Configuration conf = FlinkConfig.local(tmp.resolve("flink"));
        conf.setString("execution.checkpointing.interval", "500 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        PondJob.defineWorkflow(env, new KafkaSources(options), new KafkaSinks(options), model, HORIZON.toEpochMilli());
        env.execute("pond it");

        List<Trigger> triggers = read(topics.triggers(), Trigger.class);
        // Dee's first order is welcomed and makes her silver; her second makes her gold, but she
        // has had two messages in 24 hours (the daily cap): that one is dropped and noted.
        assertThat(triggers).extracting(Trigger::getUserId, Trigger::getType).containsExactlyInAnyOrder(
                tuple("ann", TriggerType.CART_ABANDONED),
                tuple("bob", TriggerType.WELCOME),
                tuple("dee", TriggerType.WELCOME),
                tuple("dee", TriggerType.TIER_UPGRADE));
        Trigger reminder = triggers.stream().filter(t -> t.getType() == TriggerType.CART_ABANDONED).findFirst().orElseThrow();
        Instant due = T0.plusSeconds(60).plus(Duration.ofMinutes(30));
        assertThat(reminder.getTriggerId())
                .isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, "ann", T0.plusSeconds(60).toEpochMilli()));
        assertThat(reminder.getUserId()).isEqualTo("ann");
        assertThat(reminder.getType()).isEqualTo(TriggerType.CART_ABANDONED);
        assertThat(reminder.getFiredAt()).isEqualTo(due);
        assertThat(reminder.getExpiresAt()).isEqualTo(due.plus(Duration.ofHours(24)));
        assertThat(reminder.getPriority()).isEqualTo(50);
        assertThat(reminder.getFacts().getItems()).containsExactly(new TriggerItem("serum", "skincare", 1, 99.0));
        assertThat(reminder.getFacts().getEventIds()).containsExactly("c-a2");
        assertThat(reminder.getModelVersion()).isEqualTo(model.version());

        Map<String, Set<String>> tags = foldTags(read(topics.tags(), TagChange.class));
        assertThat(tags).containsOnly(
                Map.entry("ann", Set.of("channel:wechat", "interest:skincare", "lifecycle:prospect")),
                Map.entry("bob", Set.of("channel:app", "lifecycle:new", "rfm:general-develop")),
                Map.entry("cy", Set.of("lifecycle:prospect", "topic:sensitive-skin")),
                Map.entry("dee", Set.of("channel:web", "lifecycle:new", "rfm:important-develop", "tier:gold")));

        // Each segment's last count is the number of users whose tags end in it: prospects ann and cy, ...
        Map<String, Long> lastCounts = new TreeMap<>();
        for (SegmentCount c : read(topics.segments(), SegmentCount.class)) {
            lastCounts.put(c.getSegment(), c.getMembers());
        }
        lastCounts.values().removeIf(n -> n == 0); // dee was silver before gold
        assertThat(lastCounts).isEqualTo(Map.of("interest:skincare", 1L, "lifecycle:prospect", 2L, "lifecycle:new", 2L,
                "rfm:general-develop", 1L, "rfm:important-develop", 1L, "tier:gold", 1L));
        assertThat(read(topics.alerts(), SegmentAlert.class)).as("alerts: nobody sleeps in two hours").isEmpty();

        Map<String, Profile> profiles = lastByUser(read(topics.profiles(), Profile.class));
        assertThat(profiles).containsOnlyKeys("ann", "bob", "cy", "dee");
        assertThat(profiles.values())
                .extracting(Profile::getUserId, Profile::getLifecycle, Profile::getTier, Profile::getLifetimeOrders,
                        Profile::getLifetimeSpend)
                .containsExactlyInAnyOrder(
                        tuple("ann", Lifecycle.PROSPECT, null, 0, 0.0),
                        tuple("bob", Lifecycle.NEW, null, 1, 45.5),
                        tuple("cy", Lifecycle.PROSPECT, null, 0, 0.0),
                        tuple("dee", Lifecycle.NEW, "gold", 2, 2100.0));
        profiles.forEach((user, p) -> assertThat(new TreeSet<>(p.getTags())).isEqualTo(tags.get(user)));
        assertThat(read(topics.profiles(), Profile.class).stream().flatMap(p -> p.getTriggersNotSent().stream()))
                .extracting(TriggerNote::getType, TriggerNote::getOutcome)
                .containsExactly(tuple(TriggerType.TIER_UPGRADE, TriggerOutcome.DAILY_CAP));

        List<DeadLetter> dead = read(topics.deadLetters(), DeadLetter.class);
        assertThat(dead).hasSize(bad.size());
        for (BadRecord b : bad) {
            DeadLetter d = dead.stream()
                    .filter(x -> x.getSourceTopic().equals(b.topic()) && x.getOffset() == b.offset())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no dead letter for " + b));
            assertThat(d.getPartition()).isEqualTo(b.partition());
            assertThat(bytes(d.getRaw())).isEqualTo(b.value() == null ? new byte[0] : b.value());
            assertThat(d.getError()).isEqualTo(b.error());
        }

        // The same events from files give the same triggers and tags.
        Path files = tmp.resolve("files");
        try (JsonLinesEventSink sink = new JsonLinesEventSink(files)) {
            for (SpecificRecord e : events) {
                sink.write(e);
            }
        }
        Path out = tmp.resolve("replay");
        Replay.run(model, new Replay.Request(List.of(
                new MergedEventFiles.Input(EventKind.CLICK, files.resolve("clicks.jsonl").toString()),
                new MergedEventFiles.Input(EventKind.READ, files.resolve("reads.jsonl").toString()),
                new MergedEventFiles.Input(EventKind.ORDER, files.resolve("orders.jsonl").toString())),
                HORIZON, out, 2, JobOptions.DEFAULT_OUT_OF_ORDERNESS, null));
        List<String> replayed = Files.readAllLines(out.resolve("triggers.jsonl"));
        assertThat(replayed).containsExactlyInAnyOrderElementsOf(triggers.stream().map(JsonCodec::write).toList());
        Map<String, Set<String>> replayedTags = new TreeMap<>();
        for (String line : Files.readAllLines(out.resolve("tags.jsonl"))) {
            TagChange c = JsonCodec.read(line, TagChange.class);
            apply(replayedTags, c);
        }
        assertThat(replayedTags).isEqualTo(tags);
    }

    /** Four customers on 2026-03-10, with known outcomes. */
    private static List<SpecificRecord> events() {
        List<SpecificRecord> e = new ArrayList<>();
        e.add(click("c-a1", "ann", T0, ClickType.PRODUCT_VIEW, "serum", "skincare", 99.0, "wechat"));
        e.add(click("c-a2", "ann", T0.plusSeconds(60), ClickType.ADD_TO_CART, "serum", "skincare", 99.0, null));
        e.add(click("c-b1", "bob", T0, ClickType.ADD_TO_CART, "beans", "coffee", 45.5, "app"));
        e.add(order("o-b1", "B1", "bob", T0.plusSeconds(300), OrderStatus.PLACED, 45.5, "beans", "coffee", "app"));
        e.add(order("o-b2", "B1", "bob", T0.plusSeconds(360), OrderStatus.PAID, 45.5, "beans", "coffee", "app"));
        e.add(read("r-c1", "cy", T0, List.of("sensitive-skin"), 120_000, 0.9));
        e.add(read("r-c2", "cy", T0.plusSeconds(1800), List.of("sensitive-skin", "anti-aging"), 90_000, 0.8));
        e.add(order("o-d1", "D1", "dee", T0, OrderStatus.PAID, 1200, "bag", "apparel", "web"));
        e.add(order("o-d2", "D2", "dee", T0.plusSeconds(1200), OrderStatus.PAID, 900, "coat", "apparel", null));
        return e;
    }

    private record BadRecord(String topic, int partition, long offset, byte[] value, String error) {}

    /** One record of each kind of bad input, with the reason each must be refused for. */
    private static List<BadRecord> produceBadRecords(Topics topics) throws Exception {
        AvroCodec<ClickEvent> clicks = new AvroCodec<>(ClickEvent.class);
        AvroCodec<OrderEvent> orders = new AvroCodec<>(OrderEvent.class);
        byte[] garbage = "\u0001\u0002garbage".getBytes(StandardCharsets.UTF_8);
        byte[] noUser = clicks.encode(click("c-x1", "", T0, ClickType.PAGE_VIEW, null, null, null, null));
        byte[] negative = orders.encode(order("o-x1", "X1", "zed", T0, OrderStatus.PAID, -5, "p", "c", null));
        byte[] unknownType = unknownClickType(false);
        byte[] unknownIndex = unknownClickType(true);
        Properties props = KAFKA.clientConfig();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        List<BadRecord> bad = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            bad.add(send(producer, topics.clicks(), garbage, "undecodable: ClickEvent.eventId: negative length -1"));
            bad.add(send(producer, topics.clicks(), noUser, "invalid: userId is empty"));
            bad.add(send(producer, topics.clicks(), unknownType,
                    "undecodable: ClickEvent.type: unknown ClickType symbol 'TELEPORT'"));
            bad.add(send(producer, topics.clicks(), unknownIndex,
                    "undecodable: ClickEvent.type: unknown enum symbol (index 12; ClickType has 8 symbols)"));
            bad.add(send(producer, topics.orders(), negative, "invalid: total is negative: -5.0"));
            bad.add(send(producer, topics.reads(), null, "undecodable: the record has no value"));
        }
        return bad;
    }

    private static BadRecord send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value, String error)
            throws Exception {
        RecordMetadata m = producer.send(new ProducerRecord<>(topic, "junk".getBytes(StandardCharsets.UTF_8), value)).get();
        return new BadRecord(topic, m.partition(), m.offset(), value, error);
    }

    /**
     * A click of a type ClickType does not have, what a newer producer might send: as a name
     * (the wire encoding), or as an index (12) beyond its 8 symbols (the earlier enum encoding).
     */
    private static byte[] unknownClickType(boolean asIndex) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        enc.writeString("c-x2");
        enc.writeString("zed");
        enc.writeLong(T0.toEpochMilli());
        if (asIndex) {
            enc.writeEnum(12);
        } else {
            enc.writeString("TELEPORT");
        }
        for (int i = 0; i < 7; i++) {
            enc.writeIndex(0); // the seven optional fields, null
        }
        enc.flush();
        return out.toByteArray();
    }

    private static ClickEvent click(String id, String user, Instant ts, ClickType type, String product, String category,
                                    Double price, String channel) {
        return ClickEvent.newBuilder().setEventId(id).setUserId(user).setTs(ts).setType(type).setProductId(product)
                .setCategory(category).setPrice(price).setQuery(null).setChannel(channel).setSessionId(null).build();
    }

    private static OrderEvent order(String id, String orderId, String user, Instant ts, OrderStatus status, double total,
                                    String product, String category, String channel) {
        return OrderEvent.newBuilder().setEventId(id).setOrderId(orderId).setUserId(user).setTs(ts).setStatus(status)
                .setItems(List.of(new OrderItem(product, category, 1, total))).setTotal(total).setCurrency("CNY")
                .setChannel(channel).build();
    }

    private static ArticleRead read(String id, String user, Instant ts, List<String> topics, long dwellMs, double depth) {
        return ArticleRead.newBuilder().setEventId(id).setUserId(user).setTs(ts).setArticleId("a-" + id)
                .setTopics(topics).setOpened(true).setDwellMs(dwellMs).setScrollDepth(depth).setShares(0).build();
    }

    /**
     * The topic's records, decoded by Pond; each is also decoded by its topic's file in
     * {@code schemas/wire/} alone, as a consumer in another language would, to the same values.
     */
    private static <T extends SpecificRecord> List<T> read(String topic, Class<T> type) throws Exception {
        AvroCodec<T> codec = new AvroCodec<>(type);
        Schema wire = WireSchemaFiles.parse("pond." + topic.substring(topic.indexOf('.') + 1));
        List<T> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readCommitted(KAFKA.bootstrapServers(), topic, READ_TIMEOUT)) {
            T record = codec.decode(r.value());
            GenericRecord generic = WireSchemaFiles.decodeExactly(wire, r.value());
            // Written back by the file, it is the same record to Pond (maps compare without order).
            assertThat(codec.decode(WireSchemaFiles.encode(wire, generic))).as(topic).isEqualTo(record);
            for (Schema.Field f : record.getSchema().getFields()) {
                Object mine = record.get(f.pos());
                if (mine instanceof Enum<?> || mine instanceof String) {
                    assertThat(String.valueOf(generic.get(f.name()))).as("%s.%s", topic, f.name())
                            .isEqualTo(mine.toString());
                }
            }
            records.add(record);
        }
        return records;
    }

    private static Map<String, Set<String>> foldTags(List<TagChange> changes) {
        // Records of one user share a partition, so their order there is the order they were made in.
        Map<String, Set<String>> tags = new TreeMap<>();
        changes.forEach(c -> apply(tags, c));
        return tags;
    }

    private static void apply(Map<String, Set<String>> tags, TagChange c) {
        Set<String> set = tags.computeIfAbsent(c.getUserId(), u -> new TreeSet<>());
        if (c.getChange() == TagChangeType.ADDED) {
            assertThat(set.add(c.getTag())).as("%s added twice", c).isTrue();
        } else {
            assertThat(set.remove(c.getTag())).as("%s removed but not present", c).isTrue();
        }
    }

    private static Map<String, Profile> lastByUser(List<Profile> profiles) {
        Map<String, Profile> last = new TreeMap<>();
        profiles.forEach(p -> last.put(p.getUserId(), p));
        return last;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
