package dev.pond.control;

import dev.pond.Pond;
import dev.pond.demo.KafkaEventSink;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.io.AvroCodec;
import dev.pond.io.KafkaClients;
import dev.pond.io.KafkaSinks;
import dev.pond.io.KafkaSources;
import dev.pond.io.TopicReader;
import dev.pond.job.FlinkConfig;
import dev.pond.job.JobOptions;
import dev.pond.job.PondJob;
import dev.pond.job.Topics;
import dev.pond.model.ModelLoader;
import dev.pond.out.DeadLetter;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerType;
import dev.pond.testing.KafkaExtension;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running job takes a new model from the control topic without a restart: triggers and
 * profiles switch to its version and rules from then on, users' state stays, refused updates go
 * to the dead letters and change nothing, the model in force survives a stop with a savepoint and
 * a restart that names the old model file, and an update with a re-tag moves every user's tags at
 * once.
 */
class ModelUpdateIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final Topics TOPICS = Topics.prefixed("mu");
    private static final Instant T0 = Instant.parse("2026-03-10T10:00:00Z"); // 18:00 in Shanghai: no quiet hours
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String DEFAULT = ModelLoader.defaults().version();
    private static int clicks;
    private static JobClient running;

    @Test
    void aPublishedModelScoresFromTheNextEventAndSurvivesARestart(@TempDir Path tmp) throws Exception {
        KafkaClients.ensureTopics(KAFKA.clientConfig(), TOPICS.all(), Set.of(TOPICS.profiles()), 2, (short) 1);
        JobClient job = start(tmp.resolve("flink-1"), null);

        // Before any update: the shipped model, a reminder 30 minutes after the add.
        send(click("ann", T0, ClickType.ADD_TO_CART), click("clock", T0.plus(Duration.ofMinutes(40)), ClickType.PAGE_VIEW));
        Trigger first = await(TOPICS.triggers(), Trigger.class, t -> t.getUserId().equals("ann"));
        assertThat(first.getFiredAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(first.getModelVersion()).isEqualTo(DEFAULT);

        // Refused: content that is no model, and a change of limits. Nothing changes.
        produceUpdate(new ModelUpdate("broken", "intent: {halfLifeHours: -1}\nversion: broken", "mallory", "", T0, false));
        Path limits = write(tmp, "limits.yaml", "version: forget-sooner\nlimits: {forgetAfterDays: 500}\n");
        assertThat(publish(limits)).isZero(); // publish-model cannot know the running job's limits
        List<DeadLetter> refused = awaitCount(TOPICS.deadLetters(), DeadLetter.class, 2);
        assertThat(refused).extracting(DeadLetter::getSourceTopic).containsOnly(TOPICS.control());
        assertThat(refused.get(0).getError()).isEqualTo("rejected model update broken: invalid model: intent.halfLifeHours must be positive");
        assertThat(refused.get(1).getError()).startsWith("rejected model update forget-sooner: it changes limits (Limits[");

        // Accepted: reminders after 45 minutes. publish-model refuses a bad file in one line first.
        assertThat(publish(write(tmp, "bad.yaml", "version: bad\nintent: {halfLifeHours: -1}\n"))).isNotZero();
        assertThat(publish(write(tmp, "cart-45.yaml",
                "version: cart-45\ntriggers:\n  cartAbandoned: {delayMinutes: 45}\n"))).isZero();
        awaitVersion("cart-45", T0.plus(Duration.ofMinutes(50)));
        // Refused: the version in force with other content, which outputs could not tell apart.
        produceUpdate(new ModelUpdate("cart-45", "version: cart-45\ntriggers:\n  cartAbandoned: {delayMinutes: 50}\n",
                "mallory", "", T0, false));
        assertThat(awaitCount(TOPICS.deadLetters(), DeadLetter.class, 3).get(2).getError()).isEqualTo(
                "rejected model update cart-45: version cart-45 is in force with other content; publish it under a new version");

        send(click("bob", T0.plus(Duration.ofHours(2)), ClickType.ADD_TO_CART),
                paid("ann", T0.plus(Duration.ofHours(2))),
                click("clock", T0.plus(Duration.ofHours(3)), ClickType.PAGE_VIEW));
        Trigger bobs = await(TOPICS.triggers(), Trigger.class, t -> t.getUserId().equals("bob"));
        assertThat(bobs.getFiredAt()).isEqualTo(T0.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(45)));
        assertThat(bobs.getModelVersion()).isEqualTo("cart-45");
        // Ann's state is the one she had (first seen at T0), and her first order is scored by the new model.
        Profile ann = await(TOPICS.profiles(), Profile.class,
                p -> p.getUserId().equals("ann") && p.getUpdatedAt().equals(T0.plus(Duration.ofHours(2))));
        assertThat(ann.getFirstSeenAt()).isEqualTo(T0);
        assertThat(ann.getLifetimeOrders()).isEqualTo(1);
        assertThat(ann.getModelVersion()).isEqualTo("cart-45");

        // Stopped with a savepoint, started again with the shipped model: the update stays in force.
        String savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        job = start(tmp.resolve("flink-2"), savepoint);
        // At 21:00 in Shanghai, so that the reminder (21:45) falls before the quiet hours.
        send(click("cai", T0.plus(Duration.ofHours(3)), ClickType.ADD_TO_CART),
                click("clock", T0.plus(Duration.ofHours(4)), ClickType.PAGE_VIEW));
        Trigger cais = await(TOPICS.triggers(), Trigger.class, t -> t.getUserId().equals("cai"));
        assertThat(cais.getFiredAt()).isEqualTo(T0.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(45)));
        assertThat(cais.getModelVersion()).isEqualTo("cart-45");

        // A re-tag: every stored user is re-scored at once under the new rules, with no event of theirs.
        // An add to cart gives its user interest:skincare (score 4; Ann's went when she bought); at 1000 nobody keeps it.
        assertThat(interestHolders()).containsExactlyInAnyOrder("bob", "cai");
        assertThat(publish(write(tmp, "no-interests.yaml", "version: no-interests\ntriggers:\n"
                + "  cartAbandoned: {delayMinutes: 45}\ntags: {interestMinScore: 1000}\n"), "--retag")).isZero();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!interestHolders().isEmpty()) {
            assertThat(System.nanoTime()).as("interest tags removed within %s", TIMEOUT).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(200);
        }
        Profile retagged = await(TOPICS.profiles(), Profile.class,
                p -> p.getUserId().equals("bob") && p.getModelVersion().equals("no-interests"));
        assertThat(retagged.getTags()).noneMatch(t -> t.startsWith("interest:")).isNotEmpty();
        assertThat(retagged.getFirstSeenAt()).isEqualTo(T0.plus(Duration.ofHours(2)));
        job.cancel().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        List<Trigger> all = read(TOPICS.triggers(), Trigger.class);
        assertThat(all).filteredOn(t -> t.getType() == TriggerType.CART_ABANDONED)
                .extracting(Trigger::getUserId).containsExactlyInAnyOrder("ann", "bob", "cai");
    }

    /** The whole live job at parallelism 1 (one scoring subtask: once one user sees a model, all do). */
    private static JobClient start(Path dir, String savepoint) throws Exception {
        JobOptions options = JobOptions.defaults(KAFKA.bootstrapServers()).withTopics(TOPICS)
                .withGroup("mu", "mu-" + dir.getFileName()).withTime(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .withStart(JobOptions.StartFrom.EARLIEST, false);
        Configuration conf = FlinkConfig.local(dir);
        conf.setString("execution.checkpointing.interval", "300 ms");
        conf.setString("execution.checkpointing.min-pause", "0 ms");
        if (savepoint != null) {
            conf.setString("execution.state-recovery.path", savepoint);
            conf.setString("execution.state-recovery.ignore-unclaimed-state", "false");
        }
        conf.setString("restart-strategy.type", "none"); // a failure fails the test at once, with its cause
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        PondJob.defineWorkflow(env, new KafkaSources(options), new KafkaSinks(options), ModelLoader.defaults(),
                Long.MAX_VALUE);
        running = env.executeAsync("pond model updates");
        return running;
    }

    /**
     * Sends page views of fresh probe users, moving event time no further than {@code at}, until a
     * profile carries {@code version}: from then on every event is scored with it.
     */
    private static void awaitVersion(String version, Instant at) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int probe = 0; ; probe++) {
            send(click("probe-" + probe, at, ClickType.PAGE_VIEW));
            String user = "probe-" + probe;
            Optional<Profile> p = poll(TOPICS.profiles(), Profile.class, x -> x.getUserId().equals(user),
                    Duration.ofSeconds(10));
            if (p.isPresent() && p.get().getModelVersion().equals(version)) {
                return;
            }
            assertThat(System.nanoTime()).as("model %s in force within %s", version, TIMEOUT).isLessThan(deadline);
        }
    }

    private static int publish(Path file, String... options) {
        List<String> args = new ArrayList<>(List.of("publish-model", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--control-topic", TOPICS.control(), "--author", "it", "--note", "test"));
        args.addAll(List.of(options));
        args.add(file.toString());
        return Pond.commandLine().execute(args.toArray(String[]::new));
    }

    /** The users who hold an interest:* tag now, by the tag changes written so far. */
    private static Set<String> interestHolders() throws IOException {
        Map<String, Integer> held = new java.util.TreeMap<>();
        for (TagChange c : read(TOPICS.tags(), TagChange.class)) {
            if (c.getTag().startsWith("interest:")) {
                held.merge(c.getUserId(), c.getChange() == TagChangeType.ADDED ? 1 : -1, Integer::sum);
            }
        }
        held.values().removeIf(n -> n == 0);
        return held.keySet();
    }

    private static Path write(Path dir, String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml, StandardCharsets.UTF_8);
    }

    private static void produceUpdate(ModelUpdate update) throws Exception {
        ModelUpdatePublisher.publish(KAFKA.clientConfig(), TOPICS.control(), update);
    }

    private static ClickEvent click(String user, Instant ts, ClickType type) {
        boolean cart = type == ClickType.ADD_TO_CART;
        return ClickEvent.newBuilder().setEventId("c" + (++clicks)).setUserId(user).setTs(ts).setType(type)
                .setProductId(cart ? "serum" : null).setCategory(cart ? "skincare" : null)
                .setPrice(cart ? 99.0 : null).setQuery(null).setChannel("app").setSessionId(null).build();
    }

    private static OrderEvent paid(String user, Instant ts) {
        return OrderEvent.newBuilder().setEventId("o-" + user).setOrderId("O-" + user).setUserId(user).setTs(ts)
                .setStatus(OrderStatus.PAID).setItems(List.of(new OrderItem("serum", "skincare", 1, 99.0)))
                .setTotal(99.0).setCurrency("CNY").setChannel("app").build();
    }

    private static void send(SpecificRecord... events) throws Exception {
        try (KafkaEventSink sink = new KafkaEventSink(KAFKA.bootstrapServers(), Map.of(), TOPICS, 0, 1)) {
            for (SpecificRecord e : events) {
                sink.write(e);
            }
        }
    }

    private static <T extends SpecificRecord> T await(String topic, Class<T> type,
            Predicate<T> match) throws Exception {
        Optional<T> found = poll(topic, type, match, TIMEOUT);
        if (found.isEmpty()) {
            List<T> all = read(topic, type);
            throw new AssertionError("no matching " + type.getSimpleName() + " in " + topic + " within " + TIMEOUT
                    + "; its last records: " + all.subList(Math.max(0, all.size() - 3), all.size()));
        }
        return found.get();
    }

    private static <T extends SpecificRecord> List<T> awaitCount(String topic, Class<T> type,
            int n) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            if (running.getJobStatus().get().isGloballyTerminalState()) {
                running.getJobExecutionResult().get(); // throws the job's failure
                throw new AssertionError("the job ended");
            }
            List<T> records = read(topic, type);
            if (records.size() >= n) {
                assertThat(records).hasSize(n);
                return records;
            }
            assertThat(System.nanoTime()).as("%d records in %s within %s (job %s; got %s)", n, topic, TIMEOUT,
                    running.getJobStatus().get(), records).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static <T extends SpecificRecord> Optional<T> poll(String topic, Class<T> type,
            Predicate<T> match, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (running.getJobStatus().get().isGloballyTerminalState()) {
                running.getJobExecutionResult().get(); // throws the job's failure
                throw new AssertionError("the job ended");
            }
            Optional<T> found = read(topic, type).stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return Optional.empty();
    }

    private static <T extends SpecificRecord> List<T> read(String topic, Class<T> type)
            throws IOException {
        AvroCodec<T> codec = new AvroCodec<>(type);
        List<T> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readCommitted(KAFKA.bootstrapServers(), topic, TIMEOUT)) {
            records.add(codec.decode(r.value()));
        }
        return records;
    }
}
