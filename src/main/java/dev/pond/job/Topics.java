package dev.pond.job;

import java.io.Serializable;
import java.util.List;

/**
 * The Kafka topics Pond reads and writes. Defaults are the {@code pond.*} names of docs/topics-and-schemas.md;
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
        String alerts,
        String deadLetters,
        String control)
        implements Serializable {

    public static Topics defaults() {
        return new Topics("pond.clicks", "pond.reads", "pond.orders", "pond.triggers", "pond.tags",
                "pond.profiles", "pond.segments", "pond.alerts", "pond.deadletter", "pond.control");
    }

    /** Every topic named {@code prefix.clicks}, {@code prefix.reads}, ...: a separate set on one broker. */
    public static Topics prefixed(String prefix) {
        return new Topics(prefix + ".clicks", prefix + ".reads", prefix + ".orders", prefix + ".triggers",
                prefix + ".tags", prefix + ".profiles", prefix + ".segments", prefix + ".alerts", prefix + ".deadletter",
                prefix + ".control");
    }

    /** These inputs, with the outputs of {@code other}. */
    public Topics withOutputsOf(Topics other) {
        return new Topics(clicks, reads, orders, other.triggers, other.tags, other.profiles, other.segments,
                other.alerts, other.deadLetters, control);
    }

    public List<String> inputs() {
        return List.of(clicks, reads, orders);
    }

    public List<String> outputs() {
        return List.of(triggers, tags, profiles, segments, alerts, deadLetters);
    }

    /** Inputs, outputs and the control topic (model updates, {@code pond publish-model}). */
    public List<String> all() {
        return List.of(clicks, reads, orders, triggers, tags, profiles, segments, alerts, deadLetters, control);
    }
}
