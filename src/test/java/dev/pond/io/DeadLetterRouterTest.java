package dev.pond.io;

import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderStatus;
import dev.pond.out.DeadLetter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link DeadLetterRouter} under Flink's operator test harness: a dead letter goes to the
 * {@link DeadLetterRouter#DEAD_LETTERS} side output and nowhere else; clicks, reads and orders go
 * on, unchanged and in their order, on the main output.
 */
class DeadLetterRouterTest {

    private static final Instant T0 = Instant.parse("2025-03-10T10:00:00Z");

    private OneInputStreamOperatorTestHarness<Inbound, Inbound> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new DeadLetterRouter());
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    private static DeadLetter deadLetter(long offset, String error) {
        return DeadLetter.newBuilder()
                .setSourceTopic("pond.clicks")
                .setPartition(0)
                .setOffset(offset)
                .setTimestamp(T0)
                .setKey(null)
                .setRaw(ByteBuffer.wrap("{not json".getBytes(StandardCharsets.UTF_8)))
                .setError(error)
                .build();
    }

    private static ClickEvent click() {
        return ClickEvent.newBuilder()
                .setEventId("c1").setUserId("u1").setTs(T0).setType(ClickType.PAGE_VIEW).build();
    }

    private static ArticleRead read() {
        return ArticleRead.newBuilder()
                .setEventId("r1").setUserId("u1").setTs(T0).setArticleId("a1").setTopics(new ArrayList<>())
                .setOpened(true).setDwellMs(1000L).setScrollDepth(0.5).setShares(0).build();
    }

    private static OrderEvent order() {
        return OrderEvent.newBuilder()
                .setEventId("o1-PAID").setOrderId("o1").setUserId("u1").setTs(T0).setStatus(OrderStatus.PAID)
                .setItems(new ArrayList<>()).setTotal(100d).build();
    }

    @Test
    void deadLettersGoToTheSideOutputOnly() throws Exception {
        DeadLetter first = deadLetter(7, "undecodable: unexpected end of input");
        DeadLetter second = deadLetter(8, "invalid: userId is empty");

        harness.processElement(Inbound.of(first), 10L);
        harness.processElement(Inbound.of(second), 11L);

        assertThat(harness.extractOutputValues()).isEmpty();
        List<StreamRecord<DeadLetter>> routed = new ArrayList<>(harness.getSideOutput(DeadLetterRouter.DEAD_LETTERS));
        assertThat(routed).extracting(StreamRecord::getValue, StreamRecord::getTimestamp)
                .containsExactly(tuple(first, 10L), tuple(second, 11L));
    }

    @Test
    void eventsGoOnUnchangedAndInOrderOnTheMainOutput() throws Exception {
        ClickEvent click = click();
        ArticleRead read = read();
        OrderEvent order = order();

        harness.processElement(Inbound.of(click), 1L);
        harness.processElement(Inbound.of(deadLetter(3, "invalid: ts is missing")), 2L);
        harness.processElement(Inbound.of(read), 3L);
        harness.processElement(Inbound.of(order), 4L);

        List<Inbound> out = harness.extractOutputValues();
        assertThat(out).extracting(in -> in.click, in -> in.read, in -> in.order, in -> in.deadLetter)
                .containsExactly(
                        tuple(click, null, null, null),
                        tuple(null, read, null, null),
                        tuple(null, null, order, null));
        assertThat(harness.extractOutputStreamRecords()).extracting(StreamRecord::getTimestamp)
                .containsExactly(1L, 3L, 4L);
        assertThat(harness.getSideOutput(DeadLetterRouter.DEAD_LETTERS)).hasSize(1);
    }
}
