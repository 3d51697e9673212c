package dev.pond.cli;

import dev.pond.io.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code pond lag}: how far the job's consumer group is behind the end of its input topics. The
 * sources commit their offsets when a checkpoint completes, so a lag of 0 means a completed
 * checkpoint covers every event: the job has caught up, and its outputs up to there are committed.
 */
@Command(
        name = "lag",
        mixinStandardHelpOptions = true,
        description = {
            "Prints how many input records the job's consumer group has not yet committed, per topic.",
            "The sources commit when a checkpoint completes: 0 means a checkpoint covers every event.",
            "With --await, waits for 0 and exits 1 if it does not come in time."
        })
public final class LagCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", required = true, description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--group-id", defaultValue = "pond", description = "The job's consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--await", paramLabel = "DURATION",
            description = "Wait up to this long for a lag of 0 on every input partition.")
    Duration await;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        long deadline = System.nanoTime() + (await == null ? 0 : await.toNanos());
        try (Admin admin = Admin.create(KafkaClients.config(bootstrapServers, kafka.clientProperties()))) {
            while (true) {
                Map<String, Long> lag = KafkaClients.lag(admin, groupId, kafka.topics().inputs());
                long total = lag.values().stream().mapToLong(Long::longValue).sum();
                if (await == null || total == 0 || System.nanoTime() > deadline) {
                    System.out.println("lag of group " + groupId + ": " + lag);
                    return await != null && total > 0 ? 1 : 0;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
    }
}
