package dev.pond.job;

import java.io.Serializable;
import java.util.List;

/**
 * The Kafka topics Pond reads and writes. Defaults are the {@code pond.*} names of DESIGN.md;
 * every one can be renamed on the command line.
 */
public record Topics(
        String clicks,
        String reads,
        String orders,
        String triggers,
        String tags,
        String profiles,
        String segments,
        String deadLetters)
        implements Serializable {

    public static Topics defaults() {
        return new Topics("pond.clicks", "pond.reads", "pond.orders", "pond.triggers", "pond.tags",
                "pond.profiles", "pond.segments", "pond.deadletter");
    }

    public List<String> inputs() {
        return List.of(clicks, reads, orders);
    }

    public List<String> outputs() {
        return List.of(triggers, tags, profiles, segments, deadLetters);
    }

    /** Inputs and outputs. */
    public List<String> all() {
        return List.of(clicks, reads, orders, triggers, tags, profiles, segments, deadLetters);
    }
}
