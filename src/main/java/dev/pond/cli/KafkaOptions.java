package dev.pond.cli;

import dev.pond.io.KafkaClients;
import dev.pond.job.Topics;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** Options shared by the commands that talk to Kafka: topic names and client security settings. */
public final class KafkaOptions {

    @Option(names = "--client-properties", paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*) for every client. "
                    + "Keeps secrets off the command line.")
    Path clientProperties;

    @Option(names = "--clicks-topic", defaultValue = "pond.clicks", description = "Default: ${DEFAULT-VALUE}.")
    String clicks;

    @Option(names = "--reads-topic", defaultValue = "pond.reads", description = "Default: ${DEFAULT-VALUE}.")
    String reads;

    @Option(names = "--orders-topic", defaultValue = "pond.orders", description = "Default: ${DEFAULT-VALUE}.")
    String orders;

    @Option(names = "--triggers-topic", defaultValue = "pond.triggers", description = "Default: ${DEFAULT-VALUE}.")
    String triggers;

    @Option(names = "--tags-topic", defaultValue = "pond.tags", description = "Default: ${DEFAULT-VALUE}.")
    String tags;

    @Option(names = "--profiles-topic", defaultValue = "pond.profiles", description = "Default: ${DEFAULT-VALUE}.")
    String profiles;

    @Option(names = "--segments-topic", defaultValue = "pond.segments", description = "Default: ${DEFAULT-VALUE}.")
    String segments;

    @Option(names = "--alerts-topic", defaultValue = "pond.alerts", description = "Default: ${DEFAULT-VALUE}.")
    String alerts;

    @Option(names = "--deadletter-topic", defaultValue = "pond.deadletter", description = "Default: ${DEFAULT-VALUE}.")
    String deadLetters;

    @Option(names = "--control-topic", defaultValue = "pond.control",
            description = "Model updates for the running job (pond publish-model). Default: ${DEFAULT-VALUE}.")
    String control;

    public Topics topics() {
        return new Topics(clicks, reads, orders, triggers, tags, profiles, segments, alerts, deadLetters, control);
    }

    public Map<String, String> clientProperties() {
        return KafkaClients.readProperties(clientProperties);
    }
}
