package dev.pond.demo;

import dev.pond.io.KafkaClients;
import dev.pond.io.KafkaSinks;
import dev.pond.io.KafkaSources;
import dev.pond.job.FlinkConfig;
import dev.pond.job.JobOptions;
import dev.pond.job.PondJob;
import dev.pond.job.Topics;
import dev.pond.segments.DashboardServer;
import dev.pond.model.Model;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Everything on one machine: an embedded Kafka broker, the generator playing a shop's history and
 * then live traffic into it, the Pond job on a local Flink with RocksDB and checkpoints in a
 * temporary directory, and a live console view. Stops cleanly after the duration or on Ctrl-C.
 */
public final class DemoRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);

    /**
     * The demo's settings.
     *
     * @param users simulated customers
     * @param seed generator seed
     * @param history how much history to play before going live
     * @param speed simulated time per real time while playing history
     * @param duration how long to run; null for until Ctrl-C
     * @param kafkaPort the broker's port (0 for any free one)
     * @param checkpointInterval how often outputs are committed (and become visible)
     * @param garbageRate share of extra undecodable records, to show dead letters
     */
    /** @param dashboardPort port of the web dashboard, 0 for a free one, -1 for none */
    public record Settings(int users, long seed, Duration history, double speed, Duration duration, int kafkaPort,
                           Duration checkpointInterval, double garbageRate, int dashboardPort) {}

    private final Settings settings;
    private final Model model;
    private final PrintStream out;
    private final CountDownLatch stop = new CountDownLatch(1);

    public DemoRunner(Settings settings, Model model, PrintStream out) {
        this.settings = settings;
        this.model = model;
        this.out = out;
    }

    /** Asks a running demo to stop (what Ctrl-C does). */
    public void stop() {
        stop.countDown();
    }

    /** Runs until the duration has passed or {@link #stop()} is called, then cleans up. */
    public void run() throws Exception {
        Path work = Files.createTempDirectory("pond-demo");
        Topics topics = Topics.defaults();
        out.println("Starting Kafka ...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), settings.kafkaPort(), false)) {
            String bootstrap = kafka.bootstrapServers();
            KafkaClients.ensureTopics(kafka.clientConfig(), topics.all(), Set.of(topics.profiles()), 2, (short) 1);

            out.println("Starting the Pond job on a local Flink (RocksDB, checkpoints every "
                    + settings.checkpointInterval().toSeconds() + " s) ...");
            JobOptions options = JobOptions.defaults(bootstrap).withGroup("pond-demo", "pond-demo");
            Configuration conf = FlinkConfig.local(work.resolve("flink"));
            conf.setString("execution.checkpointing.interval", settings.checkpointInterval().toMillis() + " ms");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            PondJob.defineWorkflow(env, new KafkaSources(options), new KafkaSinks(options), model, Long.MAX_VALUE);
            JobClient job = env.executeAsync("pond demo");

            Instant now = Instant.now();
            Generator generator = new Generator(new Generator.Config(settings.seed(), settings.users(),
                    now.minus(settings.history()), null, settings.history().dividedBy(2)));
            LivePublisher publisher = new LivePublisher(generator,
                    new KafkaEventSink(bootstrap, Map.of(), topics, settings.garbageRate(), settings.seed()),
                    settings.speed());
            Thread publishing = new Thread(publisher, "pond-demo-publisher");
            publishing.setDaemon(true);
            publishing.start();

            DashboardServer dashboard = dashboard(bootstrap, topics);
            String header = String.format("Pond demo: %d users, Kafka at %s, log in %s%s   (Ctrl-C to stop)",
                    settings.users(), bootstrap, System.getProperty("pond.log.file",
                            Path.of(System.getProperty("java.io.tmpdir"), "pond.log").toString()),
                    dashboard == null ? "" : ", dashboard at http://localhost:" + dashboard.port() + "/");
            try (ConsoleView view = new ConsoleView(bootstrap, Map.of(), topics); dashboard) {
                watch(view, publisher, job, header);
            } finally {
                out.println("\nStopping ...");
                publisher.stop();
                publishing.join(5_000);
                publisher.close();
                cancel(job);
            }
        } finally {
            FileUtils.deleteDirectory(work.toFile());
        }
        out.println("Stopped.");
    }

    private void watch(ConsoleView view, LivePublisher publisher, JobClient job, String header) throws Exception {
        long deadline = settings.duration() == null ? Long.MAX_VALUE
                : System.nanoTime() + settings.duration().toNanos();
        long lastCount = 0;
        long lastFrame = System.nanoTime();
        while (System.nanoTime() < deadline && !stop.await(0, TimeUnit.MILLISECONDS)) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                throw new IllegalStateException("the Pond job stopped: " + job.getJobStatus().get());
            }
            view.poll(Duration.ofMillis(200));
            long frame = System.nanoTime();
            if (frame - lastFrame >= 1_000_000_000L) {
                long count = publisher.published();
                view.render(out, header, publisher, (count - lastCount) * 1e9 / (frame - lastFrame));
                lastCount = count;
                lastFrame = frame;
            }
        }
    }

    /** The web dashboard on the settings' port; none if it is -1, or taken (the console view stays). */
    private DashboardServer dashboard(String bootstrap, Topics topics) {
        if (settings.dashboardPort() < 0) {
            return null;
        }
        try {
            return new DashboardServer(bootstrap, Map.of(), topics, "localhost", settings.dashboardPort());
        } catch (java.io.IOException e) {
            out.println("No dashboard: port " + settings.dashboardPort() + " is not free (" + e.getMessage()
                    + "); pick another with --dashboard-port");
            return null;
        }
    }

    private static void cancel(JobClient job) {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("cancelling the demo job: {}", e.toString());
        }
    }
}
