package dev.pond.cli;

import dev.pond.control.ModelUpdate;
import dev.pond.control.ModelUpdatePublisher;
import dev.pond.control.ModelUpdates;
import dev.pond.io.KafkaClients;
import dev.pond.model.Model;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code pond publish-model}: a new model for the running job, without a restart. */
@Command(
        name = "publish-model",
        mixinStandardHelpOptions = true,
        description = {
            "Validates a model file (YAML, over the shipped defaults, as for --model) and publishes it",
            "to the control topic. The running job checks it again (it refuses a change of limits,",
            "which needs a restart) and scores with it from each user's next event or timer; outputs",
            "carry its version. With --retag it re-scores every stored user at once instead. A refused",
            "update goes to the dead-letter topic with the reason."
        })
public final class PublishModelCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", required = true, description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--author", required = true, description = "Who publishes it (kept with the update).")
    String author;

    @Option(names = "--note", defaultValue = "", description = "Why, in words (kept with the update).")
    String note;

    @Option(names = "--retag", description = "Re-score every stored user when the update arrives (tags, "
            + "standing triggers, profiles), so segments follow the new rules at once; also with the version in force.")
    boolean retag;

    @Parameters(index = "0", paramLabel = "FILE", description = "The model file; its version: names the update.")
    Path file;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    TopicCreation topicCreation;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read model file " + file);
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        Model model = dev.pond.model.ModelLoader.fromYaml(content, file.toString());
        ModelUpdate update = new ModelUpdate(model.version(), content, author, note, Instant.now(), retag);
        try {
            ModelUpdates.model(update); // the checks the job makes, but for the limits of the model it runs
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        String topic = kafka.topics().control();
        var props = kafka.clientProperties();
        topicCreation.apply(bootstrapServers, props, List.of(topic), Set.of());
        RecordMetadata m = ModelUpdatePublisher.publish(KafkaClients.config(bootstrapServers, props), topic, update);
        System.out.printf("published model %s%s to %s (partition %d, offset %d)%n", update.getVersion(),
                retag ? " with a re-tag of every user" : "", topic, m.partition(), m.offset());
        return 0;
    }
}
