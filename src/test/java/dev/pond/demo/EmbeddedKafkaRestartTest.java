package dev.pond.demo;

import dev.pond.io.KafkaClients;
import dev.pond.io.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broker started again on its directory serves what it held, and takes records as before. */
class EmbeddedKafkaRestartTest {

    @Test
    void aBrokerStartedAgainOnItsDirectoryReadsBackWhatWasWritten(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka first = EmbeddedKafka.start(dir, 0, false)) {
            KafkaClients.ensureTopics(first.clientConfig(), List.of("kept"), Set.of(), 2, (short) 1);
            produce(first.bootstrapServers(), "a", "b", "c");
        }
        String controller = Files.readString(dir.resolve(EmbeddedKafka.SETTINGS));

        try (EmbeddedKafka again = EmbeddedKafka.start(dir, 0, false)) {
            assertThat(values(again.bootstrapServers())).containsExactlyInAnyOrder("a", "b", "c");
            produce(again.bootstrapServers(), "d");
            assertThat(values(again.bootstrapServers())).containsExactlyInAnyOrder("a", "b", "c", "d");
        }
        assertThat(Files.readString(dir.resolve(EmbeddedKafka.SETTINGS))).as("the controller port kept").isEqualTo(controller);
    }

    @Test
    void aDirectoryWithLogsOfAnotherBrokerIsRefused(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("logs"));

        assertThatThrownBy(() -> EmbeddedKafka.start(dir, 0, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds Kafka logs without " + EmbeddedKafka.SETTINGS);
    }

    private static void produce(String bootstrap, String... values) {
        Properties props = KafkaClients.config(bootstrap, Map.of());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (String v : values) {
                producer.send(new ProducerRecord<>("kept", v.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private static List<String> values(String bootstrap) {
        return TopicReader.read(bootstrap, "kept", false, Duration.ofSeconds(30)).stream()
                .map(ConsumerRecord::value)
                .map(v -> new String(v, StandardCharsets.UTF_8))
                .toList();
    }
}
