package dev.pond.io;

import dev.pond.job.PondSinks;
import dev.pond.out.DeadLetter;
import dev.pond.out.Profile;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import org.apache.flink.api.connector.sink2.Sink;

import java.nio.file.Path;

/** Every output as JSON Lines part files under one directory (see {@link ReplayOutput}). */
public final class JsonLinesSinks implements PondSinks {

    public static final String TRIGGERS = "triggers";
    public static final String TAGS = "tags";
    public static final String PROFILES = "profiles";
    public static final String SEGMENTS = "segments";
    public static final String ALERTS = "alerts";
    public static final String DEAD_LETTERS = "deadletter";

    private final Path dir;

    public JsonLinesSinks(Path dir) {
        this.dir = dir;
    }

    @Override
    public Sink<Trigger> triggers() {
        return new JsonLinesSink<>(dir, TRIGGERS);
    }

    @Override
    public Sink<TagChange> tags() {
        return new JsonLinesSink<>(dir, TAGS);
    }

    @Override
    public Sink<Profile> profiles() {
        return new JsonLinesSink<>(dir, PROFILES);
    }

    @Override
    public Sink<SegmentCount> segments() {
        return new JsonLinesSink<>(dir, SEGMENTS);
    }

    @Override
    public Sink<SegmentAlert> alerts() {
        return new JsonLinesSink<>(dir, ALERTS);
    }

    @Override
    public Sink<DeadLetter> deadLetters() {
        return new JsonLinesSink<>(dir, DEAD_LETTERS);
    }
}
