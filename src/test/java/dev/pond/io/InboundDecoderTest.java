package dev.pond.io;

import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.out.DeadLetter;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decoding never throws into the job: whatever the bytes, the result is the event or a dead
 * letter that keeps the bytes, their origin and the reason.
 */
class InboundDecoderTest {

    private static final long NOW = Instant.parse("2026-03-10T12:00:00Z").toEpochMilli();
    private static final Instant TS = Instant.parse("2026-03-10T10:00:00Z");

    private final InboundDecoder clicks = new InboundDecoder(EventKind.CLICK);
    private final AvroCodec<ClickEvent> codec = new AvroCodec<>(ClickEvent.class);

    @Test
    void aValidRecordDecodesToTheEvent() {
        ClickEvent e = click("u1", TS);

        Inbound in = clicks.fromAvro(codec.encode(e), null, "pond.clicks", 1, 42, 7, NOW);

        assertThat(in.isDeadLetter()).isFalse();
        assertThat(in.click).isEqualTo(e);
        assertThat(in.userId()).isEqualTo("u1");
        assertThat(in.eventTime()).isEqualTo(TS.toEpochMilli());
    }

    @Test
    void anInvalidRecordBecomesADeadLetterWithItsOrigin() {
        byte[] raw = codec.encode(click("u1", Instant.parse("2026-03-12T12:00:01Z")));
        byte[] key = "u1".getBytes(StandardCharsets.UTF_8);

        Inbound in = clicks.fromAvro(raw, key, "pond.clicks", 1, 42, 7, NOW);

        DeadLetter d = in.deadLetter;
        assertThat(in.eventTime()).isEqualTo(Long.MIN_VALUE);
        assertThat(d.getSourceTopic()).isEqualTo("pond.clicks");
        assertThat(d.getPartition()).isEqualTo(1);
        assertThat(d.getOffset()).isEqualTo(42);
        assertThat(d.getTimestamp()).isEqualTo(Instant.ofEpochMilli(7));
        assertThat(d.getKey()).isEqualTo(ByteBuffer.wrap(key));
        assertThat(d.getRaw()).isEqualTo(ByteBuffer.wrap(raw));
        assertThat(d.getError()).isEqualTo("invalid: ts is more than a day ahead of the clock: 2026-03-12T12:00:01Z");
    }

    @Test
    void randomBytesNeverThrowAndAlwaysBecomeDeadLetters() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            Inbound in = clicks.fromAvro(junk, null, "t", 0, i, -1, NOW);
            assertThat(in.isDeadLetter()).as("junk %s", Arrays.toString(junk)).isTrue();
            assertThat(in.deadLetter.getError()).startsWith("undecodable: ");
            assertPrintable(in.deadLetter.getError());
        }
    }

    @Test
    void aRecordOfAnySizeIsOneDeadLetterOfBoundedSizeWithItsFullSizeAndDigest() throws Exception {
        InboundDecoder small = new InboundDecoder(EventKind.CLICK, 1024);
        byte[] huge = new byte[1_500_000];
        new SplittableRandom(3).nextBytes(huge);
        byte[] key = new byte[10_000];

        DeadLetter d = small.fromAvro(huge, key, "pond.clicks", 0, 5, -1, NOW).deadLetter;

        assertThat(d.getRaw()).isEqualTo(ByteBuffer.wrap(Arrays.copyOf(huge, 1024)));
        assertThat(d.getRawSize()).isEqualTo(1_500_000L);
        assertThat(d.getRawSha256()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(huge)));
        assertThat(d.getKey().remaining()).isEqualTo(DeadLetters.MAX_KEY_BYTES);
        assertThat(d.getError()).startsWith("undecodable: ")
                .endsWith("; value cut to its first 1024 of 1500000 bytes; key cut to its first 4096 of 10000 bytes");
        assertThat(new AvroCodec<>(DeadLetter.class).encode(d).length + DeadLetters.MAX_KEY_BYTES)
                .isLessThanOrEqualTo(DeadLetters.maxRecordBytes(1024));
    }

    @Test
    void whatWasCutIsSaidEvenAfterTheLongestReason() {
        String reason = "undecodable: " + "x".repeat(5000);
        byte[] key = new byte[DeadLetters.MAX_KEY_BYTES + 1];

        DeadLetter d = DeadLetters.of("pond.clicks", 0, 7, -1, key, new byte[2048], reason, 1024);

        assertThat(d.getError()).hasSize(Reasons.MAX_REASON)
                .startsWith("undecodable: xxx")
                .endsWith("...; value cut to its first 1024 of 2048 bytes; key cut to its first 4096 of 4097 bytes");
    }

    @Test
    void aRecordWithinTheBoundIsKeptWholeWithItsSizeAndDigest() throws Exception {
        byte[] raw = {1, 2, 3};

        DeadLetter d = clicks.fromAvro(raw, null, "t", 0, 0, -1, NOW).deadLetter;

        assertThat(d.getRaw()).isEqualTo(ByteBuffer.wrap(raw));
        assertThat(d.getRawSize()).isEqualTo(3L);
        assertThat(d.getRawSha256()).isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
        assertThat(d.getError()).doesNotContain("cut");
    }

    @Test
    void anEnumIndexOfTheOldEncodingOutOfRangeGivesAPrintableReason() {
        // The order's status as an index (the old encoding) beyond the symbols: what the current
        // encoding reads there is a string of NULs, which the reason must not carry raw.
        byte[] raw = new AvroCodec<>(OrderEvent.class).encode(OrderEvent.newBuilder().setEventId("o1")
                .setOrderId("A1").setUserId("u1").setTs(TS).setStatus(OrderStatus.PAID)
                .setItems(List.of()).setTotal(1.0).setCurrency("CNY").setChannel(null).build());
        int escapedSymbols = 0;
        for (int i = 0; i < raw.length; i++) { // every byte set to 0 and to a large index, in turn
            for (byte b : new byte[] {0, 0x7e, (byte) 0x80, 0x1f}) {
                byte[] bad = raw.clone();
                bad[i] = b;
                Inbound in = new InboundDecoder(EventKind.ORDER).fromAvro(bad, null, "t", 0, 0, -1, NOW);
                if (in.isDeadLetter()) {
                    assertPrintable(in.deadLetter.getError());
                    escapedSymbols += in.deadLetter.getError().contains("symbol '\\x") ? 1 : 0;
                }
            }
        }
        assertThat(escapedSymbols).as("reasons that quote a symbol of control bytes").isPositive();
    }

    @Test
    void controlBytesInAValueAreEscapedInTheReason() {
        ClickEvent c = click("u1", TS);
        c.setTimeZone("Mars\u0000\n\u001b[31m");

        String error = clicks.fromAvro(codec.encode(c), null, "t", 0, 0, -1, NOW).deadLetter.getError();

        assertThat(error).isEqualTo("invalid: timeZone is not a known time zone: 'Mars\\x00\\x0a\\x1b[31m'");
    }

    private static void assertPrintable(String reason) {
        assertThat(reason.length()).isLessThanOrEqualTo(Reasons.MAX_REASON);
        assertThat(reason.chars().filter(ch -> ch < 0x20 || (ch >= 0x7f && ch <= 0x9f)).count())
                .as("control characters in %s", reason).isZero();
    }

    @Test
    void aHugeClaimedLengthIsRefusedWithoutAllocatingIt() {
        // eventId claims 1,000,000,000 bytes: Avro alone would try to allocate them.
        byte[] raw = {(byte) 0x80, (byte) 0xa8, (byte) 0xd6, (byte) 0xb9, 0x07, 'x'};

        Inbound in = clicks.fromAvro(raw, null, "t", 0, 0, -1, NOW);

        assertThat(in.deadLetter.getError())
                .isEqualTo("undecodable: ClickEvent.eventId: needs 1000000000 bytes, only 1 left");
    }

    @Test
    void truncatedAndTrailingBytesAreRefused() {
        byte[] full = codec.encode(click("u1", TS));

        // Two bytes less would be a click of the earlier schema, without birthday and referrerId
        // (ClickEvent-2), and three one of the first, without timeZone too: see below.
        byte[] truncated = Arrays.copyOf(full, full.length - 1);
        assertThat(clicks.fromAvro(truncated, null, "t", 0, 0, -1, NOW).deadLetter.getError())
                .startsWith("undecodable: ClickEvent.");
        byte[] trailing = Arrays.copyOf(full, full.length + 2);
        assertThat(clicks.fromAvro(trailing, null, "t", 0, 0, -1, NOW).deadLetter.getError())
                .isEqualTo("undecodable: 2 trailing bytes after a complete ClickEvent");
    }

    @Test
    void aClickOfTheEarlierSchemaWithoutTimeZoneStillDecodes() throws Exception {
        // What a producer built against Pond 0.1's ClickEvent.avsc writes: every field but timeZone.
        Schema v1;
        try (var in = getClass().getResourceAsStream("/dev/pond/schemas/history/ClickEvent-1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        GenericRecord old = new GenericData.Record(v1);
        old.put("eventId", "e1");
        old.put("userId", "u1");
        old.put("ts", TS.toEpochMilli());
        old.put("type", new GenericData.EnumSymbol(v1.getField("type").schema(), "ADD_TO_CART"));
        old.put("productId", "p1");
        old.put("channel", "app");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, enc);
        enc.flush();

        Inbound in = clicks.fromAvro(bytes.toByteArray(), null, "t", 0, 0, -1, NOW);
        assertThat(in.deadLetter).isNull();
        assertThat(in.click.getProductId()).isEqualTo("p1");
        assertThat(in.click.getChannel()).isEqualTo("app");
        assertThat(in.click.getTimeZone()).isNull();
    }

    @Test
    void aBirthdayIsADayOfTheYearAndAReferrerIsSomeoneElse() {
        ClickEvent c = click("u1", TS);
        for (String bad : new String[] {"02-30", "13-01", "3-15", "03/15", "", "03-15-1990", "\u0000\u0000-15"}) {
            c.setBirthday(bad);
            assertThat(clicks.fromAvro(codec.encode(c), null, "t", 0, 0, -1, NOW).deadLetter.getError())
                    .as(bad).startsWith("invalid: birthday must be MM-DD: '");
        }
        c.setBirthday("02-29");
        assertThat(clicks.fromAvro(codec.encode(c), null, "t", 0, 0, -1, NOW).click.getBirthday()).isEqualTo("02-29");
        c.setReferrerId("u1");
        assertThat(clicks.fromAvro(codec.encode(c), null, "t", 0, 0, -1, NOW).deadLetter.getError())
                .isEqualTo("invalid: referrerId is the user's own id");
        c.setReferrerId("r".repeat(129));
        assertThat(clicks.fromAvro(codec.encode(c), null, "t", 0, 0, -1, NOW).deadLetter.getError())
                .isEqualTo("invalid: referrerId is longer than 128 characters (129)");
        c.setReferrerId("ann");
        assertThat(clicks.fromAvro(codec.encode(c), null, "t", 0, 0, -1, NOW).click.getReferrerId()).isEqualTo("ann");
    }

    @Test
    void anUnknownTimeZoneIsInvalid() {
        ClickEvent c = click("u1", TS);
        c.setTimeZone("Mars/Olympus");
        assertThat(clicks.fromAvro(codec.encode(c), null, "t", 0, 0, -1, NOW).deadLetter.getError())
                .isEqualTo("invalid: timeZone is not a known time zone: 'Mars/Olympus'");
        c.setTimeZone("Europe/Berlin");
        assertThat(clicks.fromAvro(codec.encode(c), null, "t", 0, 0, -1, NOW).click.getTimeZone())
                .isEqualTo("Europe/Berlin");
    }

    @Test
    void aRecordWithoutValueIsADeadLetter() {
        assertThat(clicks.fromAvro(null, null, "t", 0, 0, -1, NOW).deadLetter.getError())
                .isEqualTo("undecodable: the record has no value");
    }

    @Test
    void jsonLinesAreCheckedTheSameWay() {
        InboundDecoder orders = new InboundDecoder(EventKind.ORDER);
        OrderEvent order = OrderEvent.newBuilder().setEventId("o1").setOrderId("A1").setUserId("u1").setTs(TS)
                .setStatus(OrderStatus.PAID).setItems(List.of(new OrderItem("p1", "tea", 1, 10.0))).setTotal(10.0)
                .setCurrency("CNY").setChannel(null).build();

        Inbound ok = orders.fromJson(JsonCodec.write(order), "orders.jsonl", 3, NOW);
        assertThat(ok.order).isEqualTo(order);

        Inbound quantityZero = orders.fromJson(JsonCodec.write(order).replace("\"quantity\":1", "\"quantity\":0"),
                "orders.jsonl", 4, NOW);
        assertThat(quantityZero.deadLetter.getError()).isEqualTo("invalid: items[0].quantity must be at least 1: 0");
        assertThat(quantityZero.deadLetter.getOffset()).isEqualTo(4);
        assertThat(quantityZero.deadLetter.getSourceTopic()).isEqualTo("orders.jsonl");
    }

    @Test
    void blankLabelsAndAbsurdAmountsAreInvalid() {
        ClickEvent blankChannel = click("u1", TS);
        blankChannel.setChannel(" ");
        assertThat(clicks.fromAvro(codec.encode(blankChannel), null, "t", 0, 0, -1, NOW).deadLetter.getError())
                .isEqualTo("invalid: channel is blank (leave it out instead)");
        ClickEvent absurd = click("u1", TS);
        absurd.setPrice(1e12);
        assertThat(clicks.fromAvro(codec.encode(absurd), null, "t", 0, 0, -1, NOW).deadLetter.getError())
                .isEqualTo("invalid: price is more than 1000000000: 1.0E12");
    }

    @Test
    void aReplayLineThatIsNotUtf8IsADeadLetterWithItsBytes() {
        byte[] raw = {'{', '"', (byte) 0xff, '"', '}'};

        Inbound in = clicks.fromJsonLine(raw, "clicks.jsonl", 9, NOW);

        assertThat(in.deadLetter.getError()).isEqualTo("undecodable: the line is not UTF-8");
        assertThat(in.deadLetter.getRaw()).isEqualTo(ByteBuffer.wrap(raw));
        assertThat(in.deadLetter.getOffset()).isEqualTo(9);
    }

    private static ClickEvent click(String user, Instant ts) {
        return ClickEvent.newBuilder().setEventId("e1").setUserId(user).setTs(ts).setType(ClickType.PAGE_VIEW)
                .setProductId(null).setCategory(null).setPrice(null).setQuery(null).setChannel("app")
                .setSessionId(null).build();
    }
}
