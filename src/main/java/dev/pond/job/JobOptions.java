package dev.pond.job;

import dev.pond.io.DeadLetters;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * How the live job connects to Kafka and treats time: everything {@code run} and {@code demo}
 * take from the command line, in one typed place. Cluster settings (state backend, checkpoints)
 * are not here but in {@code flink-conf/config.yaml}.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topics topic names
 * @param groupId consumer group of the sources (offsets are committed on checkpoints, for monitoring)
 * @param kafkaProperties extra Kafka client properties (security: SASL, TLS), for sources and sinks
 * @param outOfOrderness how late an event may arrive and still be in order (watermark bound)
 * @param idleness after how long without records a partition stops holding back the watermark
 * @param transactionTimeout Kafka transaction timeout of the exactly-once sinks; must be below the
 *     broker's {@code transaction.max.timeout.ms} (15 min by default) and above the checkpoint interval
 * @param transactionalIdPrefix prefix of the sinks' transactional ids; unique per job on a cluster
 * @param startFrom where sources start when the group has no committed offsets
 * @param bounded read up to the offsets current at start-up and finish (for tests and backfills)
 * @param delivery {@link Delivery#EXACTLY_ONCE}: outputs become visible to {@code read_committed}
 *     consumers when the checkpoint covering them completes; {@link Delivery#AT_LEAST_ONCE}: at once,
 *     but a restart may write a record again
 * @param deadLetterMaxBytes how many bytes of a refused record's value its dead letter keeps; the
 *     dead-letter sink's request size follows from it ({@link DeadLetters})
 */
public record JobOptions(
        String bootstrapServers,
        Topics topics,
        String groupId,
        Map<String, String> kafkaProperties,
        Duration outOfOrderness,
        Duration idleness,
        Duration transactionTimeout,
        String transactionalIdPrefix,
        StartFrom startFrom,
        boolean bounded,
        Delivery delivery,
        int deadLetterMaxBytes)
        implements Serializable {

    /** The sinks' guarantee. */
    public enum Delivery {
        EXACTLY_ONCE,
        AT_LEAST_ONCE
    }

    /** Where to start reading when there are no committed offsets. */
    public enum StartFrom {
        EARLIEST,
        LATEST
    }

    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofMinutes(5);
    public static final Duration DEFAULT_IDLENESS = Duration.ofMinutes(1);
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    /** Defaults for everything but the bootstrap servers. */
    public static JobOptions defaults(String bootstrapServers) {
        return new JobOptions(bootstrapServers, Topics.defaults(), "pond", Map.of(), DEFAULT_OUT_OF_ORDERNESS,
                DEFAULT_IDLENESS, DEFAULT_TRANSACTION_TIMEOUT, "pond", StartFrom.EARLIEST, false,
                Delivery.EXACTLY_ONCE, DeadLetters.DEFAULT_MAX_RAW_BYTES);
    }

    public JobOptions withTopics(Topics t) {
        return new JobOptions(bootstrapServers, t, groupId, kafkaProperties, outOfOrderness, idleness,
                transactionTimeout, transactionalIdPrefix, startFrom, bounded, delivery, deadLetterMaxBytes);
    }

    public JobOptions withGroup(String group, String idPrefix) {
        return new JobOptions(bootstrapServers, topics, group, kafkaProperties, outOfOrderness, idleness,
                transactionTimeout, idPrefix, startFrom, bounded, delivery, deadLetterMaxBytes);
    }

    public JobOptions withKafkaProperties(Map<String, String> props) {
        return new JobOptions(bootstrapServers, topics, groupId, Map.copyOf(props), outOfOrderness, idleness,
                transactionTimeout, transactionalIdPrefix, startFrom, bounded, delivery, deadLetterMaxBytes);
    }

    public JobOptions withTime(Duration outOfOrder, Duration idle) {
        return new JobOptions(bootstrapServers, topics, groupId, kafkaProperties, outOfOrder, idle,
                transactionTimeout, transactionalIdPrefix, startFrom, bounded, delivery, deadLetterMaxBytes);
    }

    public JobOptions withTransactionTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the transaction timeout must be positive, got " + timeout);
        }
        return new JobOptions(bootstrapServers, topics, groupId, kafkaProperties, outOfOrderness, idleness,
                timeout, transactionalIdPrefix, startFrom, bounded, delivery, deadLetterMaxBytes);
    }

    public JobOptions withStart(StartFrom from, boolean stopAtEnd) {
        return new JobOptions(bootstrapServers, topics, groupId, kafkaProperties, outOfOrderness, idleness,
                transactionTimeout, transactionalIdPrefix, from, stopAtEnd, delivery, deadLetterMaxBytes);
    }

    public JobOptions withDelivery(Delivery d) {
        return new JobOptions(bootstrapServers, topics, groupId, kafkaProperties, outOfOrderness, idleness,
                transactionTimeout, transactionalIdPrefix, startFrom, bounded, d, deadLetterMaxBytes);
    }

    public JobOptions withDeadLetterMaxBytes(int maxBytes) {
        return new JobOptions(bootstrapServers, topics, groupId, kafkaProperties, outOfOrderness, idleness,
                transactionTimeout, transactionalIdPrefix, startFrom, bounded, delivery,
                DeadLetters.checkMaxRaw(maxBytes));
    }
}
