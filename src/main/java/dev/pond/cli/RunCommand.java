package dev.pond.cli;

import dev.pond.io.DeadLetters;
import dev.pond.io.KafkaClients;
import dev.pond.io.KafkaSinks;
import dev.pond.io.KafkaSources;
import dev.pond.job.FlinkConfig;
import dev.pond.job.JobOptions;
import dev.pond.job.PondJob;
import dev.pond.job.Topics;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code pond run}: the production entry. Under {@code flink run} it submits the job to the
 * cluster with the cluster's configuration; started directly, it runs on a local Flink with the
 * settings of {@code flink-conf/config.yaml}.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the scoring job: reads the input topics, writes triggers, tags, profiles and",
            "dead letters exactly once. On a cluster: flink run target/pond.jar run --bootstrap-servers ..."
        })
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--transaction-timeout", defaultValue = "10m", paramLabel = "DURATION",
            description = "Kafka transaction timeout of the exactly-once sinks: above the checkpoint interval, below the "
                    + "brokers' transaction.max.timeout.ms (default: ${DEFAULT-VALUE}).")
    Duration transactionTimeout;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka brokers.")
    String bootstrapServers;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file (YAML) over the defaults.")
    Path model;

    @Option(names = "--group-id", defaultValue = "pond", description = "Consumer group of the sources (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--transactional-id-prefix", defaultValue = "pond",
            description = "Prefix of the sinks' Kafka transactional ids; unique per job on a cluster (default: ${DEFAULT-VALUE}).")
    String transactionalIdPrefix;

    @Option(names = "--out-of-orderness", defaultValue = "5m", paramLabel = "DURATION",
            description = "How late an event may be and still count as in order (default: ${DEFAULT-VALUE}).")
    Duration outOfOrderness;

    @Option(names = "--idleness", defaultValue = "1m", paramLabel = "DURATION",
            description = "After this long without records a partition stops holding back event time (default: ${DEFAULT-VALUE}).")
    Duration idleness;

    @Option(names = "--start-from", defaultValue = "EARLIEST",
            description = "Where to start without committed offsets: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    JobOptions.StartFrom startFrom;

    @Option(names = "--delivery", defaultValue = "EXACTLY_ONCE",
            description = "Guarantee of the output topics: ${COMPLETION-CANDIDATES}. EXACTLY_ONCE outputs become visible to "
                    + "read_committed consumers at each checkpoint; AT_LEAST_ONCE at once, but a restart may repeat some "
                    + "(default: ${DEFAULT-VALUE}).")
    JobOptions.Delivery delivery;

    @Option(names = "--flink-conf", paramLabel = "DIR",
            description = "A directory with a config.yaml of Flink settings for this job, over the cluster's "
                    + "(default: the cluster's; outside a cluster the shipped flink-conf/config.yaml).")
    Path flinkConf;

    @Option(names = "--dead-letter-max-bytes", defaultValue = "262144", paramLabel = "BYTES",
            description = "How much of a refused record's value its dead letter keeps; a longer value keeps its first "
                    + "BYTES, with its full size and SHA-256. The dead-letter topic must accept about BYTES + 20 KiB "
                    + "(default: ${DEFAULT-VALUE}).")
    long deadLetterMaxBytes;

    @Option(names = "--bundle-size", paramLabel = "EVENTS",
            description = "Events the scoring operator buffers per bundle at most, to read and write each user's "
                    + "state once per bundle; 0 turns bundles off (default: pond.scoring.bundle-size of the "
                    + "configuration, else 2000).")
    Integer bundleSize;

    @Option(names = "--bundle-latency", paramLabel = "DURATION",
            description = "How long an event may wait in a bundle; 0 turns bundles off (default: "
                    + "pond.scoring.bundle-latency of the configuration, else 100ms).")
    Duration bundleLatency;

    @Mixin
    TopicCreation topicCreation;

    @Override
    public Integer call() throws Exception {
        Model m = ModelLoader.loadOrDefaults(model);
        JobOptions options = JobOptions.defaults(bootstrapServers)
                .withTopics(kafka.topics())
                .withKafkaProperties(kafka.clientProperties())
                .withGroup(groupId, transactionalIdPrefix)
                .withTime(outOfOrderness, idleness)
                .withTransactionTimeout(transactionTimeout)
                .withStart(startFrom, false)
                .withDelivery(delivery)
                .withDeadLetterMaxBytes(DeadLetters.checkMaxRaw(deadLetterMaxBytes));
        Topics topics = options.topics();
        int deadLetterBytes = DeadLetters.maxRequestBytes(options.deadLetterMaxBytes());
        topicCreation.apply(bootstrapServers, options.kafkaProperties(), topics.all(), Set.of(topics.profiles()),
                t -> t.equals(topics.deadLetters())
                        ? Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(deadLetterBytes))
                        : Map.of());
        checkDeadLetterTopic(options);
        if (bundleSize != null && bundleSize < 0) {
            throw new IllegalArgumentException("--bundle-size must be 0 or more, got " + bundleSize);
        }
        if (bundleLatency != null && bundleLatency.isNegative()) {
            throw new IllegalArgumentException("--bundle-latency must be 0 or more, got " + bundleLatency);
        }
        Configuration jobConf = bundles(flinkConf == null ? new Configuration() : FlinkConfig.load(flinkConf));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConf);
        if (env instanceof LocalStreamEnvironment && flinkConf == null) {
            env = StreamExecutionEnvironment.getExecutionEnvironment(bundles(FlinkConfig.shippedForLocalRun()));
        }
        PondJob.defineWorkflow(env, new KafkaSources(options), new KafkaSinks(options), m, Long.MAX_VALUE);
        env.execute("pond " + m.version());
        return 0;
    }

    /** The job's configuration with the bundle flags, where given, over what it says. */
    private Configuration bundles(Configuration conf) {
        if (bundleSize != null) {
            conf.set(PondJob.BUNDLE_SIZE, bundleSize);
        }
        if (bundleLatency != null) {
            conf.set(PondJob.BUNDLE_LATENCY, bundleLatency);
        }
        return conf;
    }

    /**
     * Refuses to start where the dead-letter topic could refuse a dead letter: the sink would fail
     * on it, and the job would restart on the same record for ever.
     */
    private static void checkDeadLetterTopic(JobOptions options) throws InterruptedException {
        String topic = options.topics().deadLetters();
        OptionalLong accepts = KafkaClients.maxMessageBytes(
                KafkaClients.config(options.bootstrapServers(), options.kafkaProperties()), topic);
        int needs = DeadLetters.maxRecordBytes(options.deadLetterMaxBytes());
        if (accepts.isPresent() && accepts.getAsLong() < needs) {
            throw new IllegalArgumentException("topic " + topic + " accepts records up to " + accepts.getAsLong()
                    + " bytes (max.message.bytes), but a dead letter can take " + needs + " with --dead-letter-max-bytes "
                    + options.deadLetterMaxBytes() + "; lower that, or raise the topic's max.message.bytes");
        }
    }
}
