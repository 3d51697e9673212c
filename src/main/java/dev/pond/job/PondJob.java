package dev.pond.job;

import dev.pond.control.ControlRecord;
import dev.pond.control.ControlValidator;
import dev.pond.control.ModelUpdate;
import dev.pond.io.DeadLetterRouter;
import dev.pond.io.Inbound;
import dev.pond.scoring.ReferralRouter;
import dev.pond.model.Model;
import dev.pond.out.DeadLetter;
import dev.pond.out.Profile;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import dev.pond.scoring.UserScoringOperator;
import dev.pond.segments.SegmentCounter;
import dev.pond.segments.SleepingShareWatch;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;

/**
 * Pond's topology, wired once for every way it runs: {@code run} and {@code demo} pass Kafka
 * sources and sinks, {@code replay} passes files, tests pass what they need.
 *
 * <pre>
 *  sources (decode + validate) ─> route ─> keyBy(userId) ─> referrals ─> keyBy(userId) ─> user-scoring ─┬─> triggers
 *                                   │      (events, and a friend's first payment as a ▲               ├─> tag changes
 *                                   │       credit under the referrer's key)          │               └─> profiles
 *                                   └─> dead letters                                  │
 *  control topic ─> model-updates (validate) ── broadcast ────────────────────────────┘ (live jobs; replay's model is fixed)
 * </pre>
 *
 * Operator uids are part of the savepoint contract: never change them.
 */
public final class PondJob {

    /**
     * Upper bound of the parallelism the keyed state can ever be rescaled to (the number of key
     * groups). Fixed forever once a savepoint exists; 4096 leaves room to scale out.
     */
    public static final int MAX_PARALLELISM = 4096;

    public static final String UID_ROUTER = "route-dead-letters";
    public static final String UID_SCORING = "user-scoring";
    public static final String UID_REFERRALS = "referrals";
    public static final String UID_TRIGGERS_SINK = "sink-triggers";
    public static final String UID_TAGS_SINK = "sink-tags";
    public static final String UID_PROFILES_SINK = "sink-profiles";
    public static final String UID_DEAD_LETTERS_SINK = "sink-dead-letters";
    public static final String UID_SEGMENT_TAGS = "segment-tags";
    public static final String UID_SEGMENT_COUNTS = "segment-counts";
    public static final String UID_SLEEPING_SHARE = "sleeping-share";
    public static final String UID_SEGMENTS_SINK = "sink-segments";
    public static final String UID_ALERTS_SINK = "sink-alerts";
    public static final String UID_CONTROL = "model-updates";

    /**
     * Events a bundle of the scoring operator holds at most (see {@link UserScoringOperator}); 0 or
     * 1 for no bundles. In the job's configuration ({@code pond run --bundle-size}, or {@code
     * config.yaml}).
     */
    public static final ConfigOption<Integer> BUNDLE_SIZE = ConfigOptions.key("pond.scoring.bundle-size")
            .intType()
            .defaultValue(2000)
            .withDescription("Events a bundle of the scoring operator holds at most; 0 or 1 for no bundles.");

    /** How long an event may wait in a bundle, in wall-clock time; 0 for no bundles. */
    public static final ConfigOption<Duration> BUNDLE_LATENCY = ConfigOptions.key("pond.scoring.bundle-latency")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("How long an event may wait in a bundle of the scoring operator; 0 for no bundles.");

    private PondJob() {}

    /** The streams the topology produces, for callers that attach more (segment counts, views). */
    public record Outputs(
            DataStream<Trigger> triggers,
            DataStream<TagChange> tagChanges,
            DataStream<Profile> profiles,
            DataStream<SegmentCount> segments,
            DataStream<SegmentAlert> alerts,
            DataStream<DeadLetter> deadLetters) {}

    /**
     * The rules the job sets for itself rather than the cluster, so that a cluster which also
     * serves Flink SQL sessions (whose operators have generated uids and may use Kryo) runs Pond
     * unchanged: every operator must have a uid, since savepoints map state by uid; and no type
     * may fall back to Kryo, which is slow and breaks savepoint compatibility.
     */
    public static Configuration rules() {
        Configuration rules = new Configuration();
        rules.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        rules.set(PipelineOptions.GENERIC_TYPES, false);
        return rules;
    }

    /**
     * Wires the whole job into {@code env}.
     *
     * @param horizon event time after which timers do not fire ({@link Long#MAX_VALUE} when live)
     */
    public static Outputs defineWorkflow(
            StreamExecutionEnvironment env, PondSources sources, PondSinks sinks, Model model, long horizon) {
        return defineWorkflow(env, sources, sinks, model, horizon, false);
    }

    /**
     * Wires the whole job into {@code env}.
     *
     * @param horizon event time after which timers do not fire ({@link Long#MAX_VALUE} when live)
     * @param snapshot also emit every user's profile as of the horizon
     */
    public static Outputs defineWorkflow(StreamExecutionEnvironment env, PondSources sources, PondSinks sinks,
            Model model, long horizon, boolean snapshot) {
        env.configure(rules());
        env.setMaxParallelism(MAX_PARALLELISM);

        DataStream<Inbound> inbound = sources.inbound(env);
        SingleOutputStreamOperator<Inbound> events = inbound
                .process(new DeadLetterRouter())
                .uid(UID_ROUTER)
                .name("Route dead letters")
                // Same parallelism as the sources, so connected one to one (forward): a rebalance here
                // would reorder a user's events.
                .setParallelism(inbound.getParallelism());
        DataStream<DeadLetter> deadLetters = events.getSideOutput(DeadLetterRouter.DEAD_LETTERS);
        // Every event passes the referral operator, keyed by its user, which adds a friend's
        // first payment as a credit under the referrer's key. One path, not a side branch joined
        // again: a second input would let the credits' watermarks and the events interleave
        // differently from run to run, and a replay would no longer reproduce its triggers. At
        // the sources' parallelism, so that a replay's single reader still gives each scoring
        // subtask one input in one order.
        DataStream<Inbound> scored = events
                .keyBy(Inbound::userId, Types.STRING)
                .process(new ReferralRouter(), events.getType())
                .uid(UID_REFERRALS)
                .name("Referrals")
                .setParallelism(inbound.getParallelism())
                .setMaxParallelism(MAX_PARALLELISM);

        DataStream<ControlRecord> control = sources.control(env);
        UserScoringOperator scoring = new UserScoringOperator(model, horizon, snapshot,
                env.getConfiguration().get(BUNDLE_SIZE), env.getConfiguration().get(BUNDLE_LATENCY).toMillis());
        TypeInformation<Trigger> triggerType = new AvroTypeInfo<>(Trigger.class);
        SingleOutputStreamOperator<Trigger> triggers;
        if (control == null) {
            triggers = scored
                    .keyBy(Inbound::userId, Types.STRING)
                    .transform("User scoring", triggerType, scoring);
        } else {
            // Model updates: checked once, then broadcast to every scoring subtask.
            SingleOutputStreamOperator<ModelUpdate> accepted = control
                    .keyBy(r -> ControlValidator.KEY, Types.STRING)
                    .process(new ControlValidator(model, sources.deadLetterMaxBytes()), new AvroTypeInfo<>(ModelUpdate.class))
                    .uid(UID_CONTROL)
                    .name("Model updates")
                    .setParallelism(1)
                    .setMaxParallelism(MAX_PARALLELISM);
            deadLetters = deadLetters.union(accepted.getSideOutput(ControlValidator.REJECTED));
            triggers = scored
                    .keyBy(Inbound::userId, Types.STRING)
                    .connect(accepted.broadcast())
                    .transform("User scoring", triggerType, scoring);
        }
        triggers.uid(UID_SCORING)
                .name("User scoring")
                .setMaxParallelism(MAX_PARALLELISM);
        DataStream<TagChange> tags = triggers.getSideOutput(UserScoringOperator.TAG_CHANGES);
        DataStream<Profile> profiles = triggers.getSideOutput(UserScoringOperator.PROFILES);

        triggers.sinkTo(sinks.triggers()).uid(UID_TRIGGERS_SINK).name("Triggers");
        tags.sinkTo(sinks.tags()).uid(UID_TAGS_SINK).name("Tag changes");
        profiles.sinkTo(sinks.profiles()).uid(UID_PROFILES_SINK).name("Profiles");
        deadLetters.sinkTo(sinks.deadLetters()).uid(UID_DEAD_LETTERS_SINK).name("Dead letters");

        // Exact member counts of the segments, per minute of event time, and the sleeping share's alerts.
        DataStream<SegmentCount> segments = tags
                .filter(c -> SegmentCounter.isSegment(c.getTag()))
                .uid(UID_SEGMENT_TAGS)
                .name("Segment tag changes")
                .keyBy(TagChange::getTag, Types.STRING)
                .process(new SegmentCounter(), new AvroTypeInfo<>(SegmentCount.class))
                .uid(UID_SEGMENT_COUNTS)
                .name("Segment counts")
                .setMaxParallelism(MAX_PARALLELISM);
        DataStream<SegmentAlert> alerts = segments
                .filter(c -> c.getSegment().equals(SleepingShareWatch.ACTIVE)
                        || c.getSegment().equals(SleepingShareWatch.SLEEPING))
                .uid(UID_SLEEPING_SHARE + "-counts")
                .name("Active and sleeping counts")
                .keyBy(c -> SleepingShareWatch.ALERT, Types.STRING)
                .process(new SleepingShareWatch(model.segments().sleepingShareAlert()),
                        new AvroTypeInfo<>(SegmentAlert.class))
                .uid(UID_SLEEPING_SHARE)
                .name("Sleeping share")
                .setMaxParallelism(MAX_PARALLELISM);
        segments.sinkTo(sinks.segments()).uid(UID_SEGMENTS_SINK).name("Segment counts out");
        alerts.sinkTo(sinks.alerts()).uid(UID_ALERTS_SINK).name("Alerts");
        return new Outputs(triggers, tags, profiles, segments, alerts, deadLetters);
    }
}
