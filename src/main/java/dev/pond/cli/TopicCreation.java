package dev.pond.cli;

import dev.pond.io.KafkaClients;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The options for creating missing topics, shared by the commands that can do it. */
public final class TopicCreation {

    @Option(names = "--create-topics", description = "Create missing topics before starting.")
    boolean enabled;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of created topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "0",
            description = "Replication of created topics (default: 3, or the number of brokers if fewer).")
    short replicationFactor;

    /** Creates whichever of {@code topics} are missing, if asked to; {@code compacted} ones with compaction. */
    void apply(String bootstrapServers, Map<String, String> clientProperties, List<String> topics,
               Set<String> compacted) throws InterruptedException {
        apply(bootstrapServers, clientProperties, topics, compacted, t -> Map.of());
    }

    /** As {@link #apply(String, Map, List, Set)}, with each created topic's own {@code configs}. */
    void apply(String bootstrapServers, Map<String, String> clientProperties, List<String> topics,
               Set<String> compacted, Function<String, Map<String, String>> configs) throws InterruptedException {
        if (enabled) {
            if (partitions < 1) {
                throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
            }
            KafkaClients.ensureTopics(KafkaClients.config(bootstrapServers, clientProperties), topics, compacted,
                    partitions, replicationFactor, configs);
        }
    }
}
