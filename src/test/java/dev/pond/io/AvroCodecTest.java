package dev.pond.io;

import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderStatus;
import dev.pond.out.Lifecycle;
import dev.pond.out.Profile;
import dev.pond.out.Rfm;
import dev.pond.out.RfmClass;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerFacts;
import dev.pond.out.TriggerNote;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The topics' encoding: enums as their names, which Flink SQL can read, and the older enum encoding still read. */
class AvroCodecTest {

    private static final Instant AT = Instant.parse("2026-03-10T10:00:00Z");

    @Test
    void anEnumTravelsAsItsNameAndComesBackAsTheEnum() throws IOException {
        AvroCodec<Trigger> codec = new AvroCodec<>(Trigger.class);
        Trigger t = trigger();

        byte[] bytes = codec.encode(t);

        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("WIN_BACK");
        assertThat(codec.decode(bytes)).isEqualTo(t);
        GenericRecord generic = new GenericDatumReader<GenericRecord>(codec.wireSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        assertThat(generic.get("type").toString()).isEqualTo("WIN_BACK");
    }

    @Test
    void noEnumIsLeftInTheWireSchemaOfAnyTopic() {
        for (Class<? extends SpecificRecord> type : List.of(Trigger.class, TagChange.class, Profile.class,
                ClickEvent.class, dev.pond.events.OrderEvent.class, dev.pond.out.DeadLetter.class)) {
            Schema wire = new AvroCodec<>(type).wireSchema();
            assertThat(wire.toString()).as(type.getSimpleName()).doesNotContain("\"enum\"");
            assertThat(new Schema.Parser().parse(wire.toString())).isEqualTo(wire);
        }
    }

    @Test
    void enumsInsideNestedRecordsAndArraysTravelAsNamesToo() throws IOException {
        AvroCodec<Profile> codec = new AvroCodec<>(Profile.class);
        Profile p = profile();

        byte[] bytes = codec.encode(p);

        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("SLEEPING", "GENERAL_RETAIN", "CHURN_RISK", "COOLDOWN");
        assertThat(codec.decode(bytes)).isEqualTo(p);
    }

    @Test
    void bytesOfTheEarlierEnumEncodingStillDecode() throws IOException {
        // What Pond before the wire schema wrote, and what a compacted pond.profiles may still hold.
        Profile p = profile();
        byte[] old = enumEncoded(p, Profile.getClassSchema());

        assertThat(old).isNotEqualTo(new AvroCodec<>(Profile.class).encode(p));
        assertThat(new AvroCodec<>(Profile.class).decode(old)).isEqualTo(p);
        TagChange c = new TagChange("u1", "lifecycle:sleeping", TagChangeType.REMOVED, AT, "r");
        assertThat(new AvroCodec<>(TagChange.class).decode(enumEncoded(c, TagChange.getClassSchema()))).isEqualTo(c);
    }

    @Test
    void aClickOfTheEarlierSchemaInTheEnumEncodingStillDecodes() throws IOException {
        ClickEvent c = ClickEvent.newBuilder().setEventId("e1").setUserId("u1").setTs(AT)
                .setType(ClickType.ADD_TO_CART).setProductId("p1").setCategory(null).setPrice(null).setQuery(null)
                .setChannel("app").setSessionId(null).build();
        byte[] current = enumEncoded(c, ClickEvent.getClassSchema());
        // Each optional field left null is its null branch's index, one byte at the end.
        byte[] withoutBirthday = java.util.Arrays.copyOf(current, current.length - 2); // ClickEvent-2
        byte[] withoutTimeZone = java.util.Arrays.copyOf(current, current.length - 3); // ClickEvent-1

        assertThat(new AvroCodec<>(ClickEvent.class).decode(withoutBirthday)).isEqualTo(c);
        assertThat(new AvroCodec<>(ClickEvent.class).decode(withoutTimeZone)).isEqualTo(c);
    }

    @Test
    void anOrderAndAProfileOfTheSchemasBeforePointsStillDecodeInBothEncodings() throws IOException {
        // The version before pointsRedeemed and points: the same bytes without the last field,
        // an int or a long 0, one byte. A producer following the earlier schemas/wire file writes
        // the wire encoding; older Pond builds and producers the enum encoding.
        OrderEvent o = OrderEvent.newBuilder().setEventId("e1").setOrderId("o1").setUserId("u1").setTs(AT)
                .setStatus(OrderStatus.PAID).setItems(List.of()).setTotal(12.5).setChannel(null).build();
        AvroCodec<OrderEvent> orders = new AvroCodec<>(OrderEvent.class);
        byte[] wire = orders.encode(o);
        byte[] enums = enumEncoded(o, OrderEvent.getClassSchema());

        assertThat(orders.decode(java.util.Arrays.copyOf(wire, wire.length - 1))).isEqualTo(o);
        assertThat(orders.decode(java.util.Arrays.copyOf(enums, enums.length - 1))).isEqualTo(o);

        Profile p = profile();
        AvroCodec<Profile> profiles = new AvroCodec<>(Profile.class);
        byte[] profile = profiles.encode(p);
        byte[] profileEnums = enumEncoded(p, Profile.getClassSchema());

        assertThat(profiles.decode(java.util.Arrays.copyOf(profile, profile.length - 1))).isEqualTo(p);
        assertThat(profiles.decode(java.util.Arrays.copyOf(profileEnums, profileEnums.length - 1))).isEqualTo(p);
    }

    @Test
    void aNameThatIsNoSymbolIsRefusedNamingTheField() {
        AvroCodec<TagChange> codec = new AvroCodec<>(TagChange.class);
        byte[] bytes = codec.encode(new TagChange("u1", "koc", TagChangeType.ADDED, AT, "r"));
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("ADDED", "ADDER");

        assertThatThrownBy(() -> codec.decode(text.getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(IOException.class)
                .hasMessage("TagChange.change: unknown TagChangeType symbol 'ADDER'");
    }

    private static <T extends SpecificRecord> byte[] enumEncoded(T record, Schema schema) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<T>(schema).write(record, enc);
        enc.flush();
        return out.toByteArray();
    }

    private static Trigger trigger() {
        return Trigger.newBuilder().setTriggerId("t1").setUserId("u1").setType(TriggerType.WIN_BACK).setFiredAt(AT)
                .setExpiresAt(AT.plusSeconds(3600)).setPriority(3).setReason("no order for 120 days")
                .setFacts(TriggerFacts.newBuilder().setScores(Map.of("pAlive", 0.4)).setCounts(Map.of())
                        .setItems(List.of()).setEventIds(List.of("e1")).setCategories(List.of()).build())
                .setOffer(null).setModelVersion("v1").setDeferredFrom(null).build();
    }

    private static Profile profile() {
        return Profile.newBuilder().setUserId("u1").setUpdatedAt(AT).setLifecycle(Lifecycle.SLEEPING).setTier(null)
                .setRfm(new Rfm(120, 1, 30.0, 1, 1, 1, RfmClass.GENERAL_RETAIN)).setIntent(0.0)
                .setTopCategories(List.of()).setTags(List.of("lifecycle:sleeping")).setLifetimeOrders(1)
                .setLifetimeSpend(30.0).setFirstSeenAt(AT).setLastSeenAt(AT).setLastOrderAt(AT).setPAlive(0.4)
                .setChurnRisk(0.9).setExpectedPurchases(0.1).setExpectedOrderValue(30.0).setClv(3.0)
                .setFirstTouchChannel("app").setModelVersion("v1")
                .setTriggersNotSent(List.of(new TriggerNote("t0", TriggerType.CHURN_RISK, AT, TriggerOutcome.COOLDOWN,
                        "sent 2 days ago")))
                .build();
    }
}
