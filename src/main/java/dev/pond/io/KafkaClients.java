package dev.pond.io;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.config.TopicConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Kafka client settings and topic administration shared by the commands. Security settings
 * (SASL, TLS) come from a properties file, never from the command line, and are never logged.
 */
public final class KafkaClients {

    private KafkaClients() {}

    /** Reads a Kafka client properties file (e.g. security.protocol, sasl.jaas.config). */
    public static Map<String, String> readProperties(Path file) {
        if (file == null) {
            return Map.of();
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read Kafka client properties " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> map = new HashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return map;
    }

    /** Client configuration: the bootstrap servers plus the extra properties. */
    public static Properties config(String bootstrapServers, Map<String, String> extra) {
        Properties props = new Properties();
        props.putAll(extra);
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /**
     * Creates the topics that do not exist yet and waits until the leader of every partition of the
     * new ones serves it, so that a producer may write to them at once. {@code compacted} ones get {@code
     * cleanup.policy=compact} (the profiles: one current record per user).
     *
     * @param replication replication factor; 0 for 3, or the number of brokers if fewer
     */
    public static void ensureTopics(Properties config, List<String> topics, Set<String> compacted, int partitions,
                                    short replication) throws InterruptedException {
        ensureTopics(config, topics, compacted, partitions, replication, Map.of());
    }

    /** As {@link #ensureTopics(Properties, List, Set, int, short)}, with {@code configs} on every new topic. */
    public static void ensureTopics(Properties config, List<String> topics, Set<String> compacted, int partitions,
                                    short replication, Map<String, String> configs) throws InterruptedException {
        ensureTopics(config, topics, compacted, partitions, replication, t -> configs);
    }

    /** As {@link #ensureTopics(Properties, List, Set, int, short)}, with each new topic's own {@code configs}. */
    public static void ensureTopics(Properties config, List<String> topics, Set<String> compacted, int partitions,
                                    short replication, Function<String, Map<String, String>> configs)
            throws InterruptedException {
        try (Admin admin = Admin.create(config)) {
            if (replication <= 0) {
                replication = (short) Math.min(3, admin.describeCluster().nodes().get().size());
            }
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    Map<String, String> topicConfigs = new HashMap<>(configs.apply(t));
                    if (compacted.contains(t)) {
                        topicConfigs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                    }
                    missing.add(new NewTopic(t, partitions, replication).configs(topicConfigs));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * The largest record batch {@code topic} accepts (its {@code max.message.bytes}, or the broker's
     * default), or empty where the topic does not exist or the brokers do not answer in 10 s.
     */
    public static OptionalLong maxMessageBytes(Properties config, String topic) throws InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(config)) {
            Config c = admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().timeoutMs(10_000))
                    .all().get(10, TimeUnit.SECONDS).get(resource);
            ConfigEntry entry = c == null ? null : c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry == null || entry.value() == null
                    ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(entry.value()));
        } catch (ExecutionException | java.util.concurrent.TimeoutException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Per topic, the records of {@code topics} after the consumer group's committed offsets (all
     * of them where it has none). Pond's sources commit when a checkpoint completes, so 0 means a
     * completed checkpoint covers every record.
     */
    public static Map<String, Long> lag(Admin admin, String group, List<String> topics)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<String, Long> lag = new java.util.TreeMap<>();
        admin.listOffsets(partitions).all().get().forEach((tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            lag.merge(tp.topic(), end.offset() - (c == null ? 0 : c.offset()), Long::sum);
        });
        return lag;
    }

    /**
     * Waits (up to a minute) until the leader of each partition of {@code topics} serves it.
     *
     * <p>A leader in the metadata is not enough: the broker publishes the new partition in its
     * metadata before its replica manager hosts it, and a produce that arrives in between fails
     * with a retriable error. An idempotent producer with several requests in flight may then see
     * its next request appended first, and retry the failed one as out of order until its
     * delivery timeout loses it (KAFKA-15591, fixed in the 4.5 broker). A ListOffsets is answered
     * by the leader's replica manager, so once it succeeds for every partition, writes go through.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            boolean ready;
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
                    for (TopicPartitionInfo p : d.partitions()) {
                        partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                    }
                }
                admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(5_000)).all().get();
                ready = true;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
                ready = false; // created, but not yet known to or hosted by the broker answering
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the new topics " + topics + " have partitions that no leader serves");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
