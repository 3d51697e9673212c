package dev.pond.job;

import dev.pond.out.DeadLetter;
import dev.pond.out.Profile;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import org.apache.flink.api.connector.sink2.Sink;

/** Where the outputs go: exactly-once Kafka sinks in a live job, JSON Lines files in replay. */
public interface PondSinks {
    Sink<Trigger> triggers();

    Sink<TagChange> tags();

    Sink<Profile> profiles();

    Sink<SegmentCount> segments();

    Sink<SegmentAlert> alerts();

    Sink<DeadLetter> deadLetters();
}
