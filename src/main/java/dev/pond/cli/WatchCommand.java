package dev.pond.cli;

import dev.pond.io.TopicReader;
import dev.pond.job.Topics;
import dev.pond.segments.OutputView;
import dev.pond.segments.SegmentBoard;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pond watch}: the live segments in a terminal. Reads {@code pond.segments}, {@code
 * pond.alerts} and {@code pond.triggers} from the beginning, as a marketing system would ({@code
 * read_committed}), from any broker, and redraws a table every interval: members per segment with
 * the change since the last frame and a trend, triggers by type, the sleeping share and its alert.
 */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the live segments in the terminal: members per segment, the change since the last",
            "refresh and a trend, triggers by type, the sleeping share. Reads the output topics."
        })
public final class WatchCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", required = true, description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s",
            description = "How often the view is redrawn (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--once", description = "Read the topics to their end, print one view and exit (for scripts).")
    boolean once;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("--interval must be positive, got " + interval);
        }
        Topics topics = kafka.topics();
        PrintWriter out = spec.commandLine().getOut();
        SegmentBoard board = new SegmentBoard();
        OutputView.Decoder decoder = new OutputView.Decoder(topics);
        if (once) {
            for (String topic : List.of(topics.segments(), topics.alerts(), topics.triggers())) {
                for (ConsumerRecord<byte[], byte[]> r : TopicReader.read(bootstrapServers, kafka.clientProperties(),
                        topic, true, Duration.ofMinutes(1))) {
                    decoder.add(board, r);
                }
            }
            out.print(board.frame());
            out.flush();
            return 0;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = TopicReader.followFromStart(bootstrapServers,
                kafka.clientProperties(), List.of(topics.segments(), topics.alerts(), topics.triggers()))) {
            boolean terminal = System.console() != null;
            while (!Thread.currentThread().isInterrupted()) {
                long next = System.nanoTime() + interval.toNanos();
                while (System.nanoTime() < next) {
                    for (ConsumerRecord<byte[], byte[]> r
                            : consumer.poll(Duration.ofNanos(Math.max(1, next - System.nanoTime())))) {
                        decoder.add(board, r);
                    }
                }
                out.print((terminal ? "\033[H\033[2J" : "\n") + board.frame());
                out.flush();
            }
        }
        return 0;
    }
}
