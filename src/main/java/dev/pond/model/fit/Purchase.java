package dev.pond.model.fit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One order that counts as a purchase, as read from an order file: who bought, when, what the
 * order cost and which categories it covered (sorted, distinct; may be empty).
 */
public record Purchase(String userId, Instant time, double total, List<String> categories) {

    public Purchase {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(time, "time");
        categories = List.copyOf(categories);
    }
}
