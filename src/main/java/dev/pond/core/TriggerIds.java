package dev.pond.core;

import dev.pond.out.TriggerType;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic trigger ids: a name-based UUID of (type, user, the event-time anchor of the
 * episode). The same input gives the same id, so a consumer can de-duplicate on it.
 */
public final class TriggerIds {

    private TriggerIds() {}

    public static String of(TriggerType type, String userId, long anchor) {
        String name = type.name() + '|' + userId + '|' + anchor;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** For rules with several triggers per anchor: the second reminder, one per category or tier. */
    public static String of(TriggerType type, String userId, long anchor, String qualifier) {
        String name = type.name() + '|' + userId + '|' + anchor + '|' + qualifier;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
