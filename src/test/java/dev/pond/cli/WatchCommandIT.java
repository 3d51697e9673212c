package dev.pond.cli;

import dev.pond.Pond;
import dev.pond.io.AvroCodec;
import dev.pond.io.KafkaClients;
import dev.pond.job.Topics;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerFacts;
import dev.pond.out.TriggerType;
import dev.pond.testing.KafkaExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pond watch --once} against a real broker: the view of what the output topics hold. */
class WatchCommandIT {

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @Test
    void showsTheLatestCountsTheSleepingShareAndTheTriggersOfTheTopics() throws Exception {
        Topics topics = Topics.prefixed("watch");
        KafkaClients.ensureTopics(KAFKA.clientConfig(), topics.outputs(), Set.of(), 2, (short) 1);
        Instant t = Instant.parse("2026-05-01T10:01:00Z");
        Properties props = KafkaClients.config(KAFKA.bootstrapServers(), Map.of());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        AvroCodec<SegmentCount> counts = new AvroCodec<>(SegmentCount.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            send(producer, topics.segments(), "lifecycle:active", counts.encode(new SegmentCount("lifecycle:active", t, 5L, 5L, 0L)));
            send(producer, topics.segments(), "lifecycle:active",
                    counts.encode(new SegmentCount("lifecycle:active", t.plusSeconds(60), 3L, 0L, 2L)));
            send(producer, topics.segments(), "lifecycle:sleeping",
                    counts.encode(new SegmentCount("lifecycle:sleeping", t.plusSeconds(60), 2L, 2L, 0L)));
            send(producer, topics.alerts(), "sleeping-share", new AvroCodec<>(SegmentAlert.class)
                    .encode(new SegmentAlert("sleeping-share", t.plusSeconds(60), true, 0.4, 0.3, 2L, 5L)));
            AvroCodec<Trigger> triggers = new AvroCodec<>(Trigger.class);
            for (int i = 0; i < 3; i++) {
                send(producer, topics.triggers(), "u" + i, triggers.encode(Trigger.newBuilder().setTriggerId("t" + i)
                        .setUserId("u" + i).setType(TriggerType.WELCOME).setFiredAt(t).setExpiresAt(t).setPriority(1)
                        .setReason("r").setFacts(TriggerFacts.newBuilder().build()).setModelVersion("m").build()));
            }
        }

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Pond.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute("watch", "--bootstrap-servers", KAFKA.bootstrapServers(), "--once",
                "--segments-topic", topics.segments(), "--alerts-topic", topics.alerts(),
                "--triggers-topic", topics.triggers());

        assertThat(code).as("exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).startsWith("segments at 2026-05-01T10:02:00Z (event time)\n")
                .contains("  lifecycle:active                     3      new  ▁\n")
                .contains("  lifecycle:sleeping                   2      new  ▁\n")
                .contains("sleeping share 40.0% (2 of 5 active or sleeping)  ALERT raised at 2026-05-01T10:02:00Z")
                .contains("  WELCOME                          3         +3\n");
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }
}
