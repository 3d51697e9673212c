package dev.pond.bench;

import dev.pond.core.Emissions;
import dev.pond.core.UserScorer;
import dev.pond.demo.Generator;
import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import dev.pond.state.UserState;
import org.apache.avro.specific.SpecificRecord;

import java.time.Duration;
import java.util.Map;

/**
 * The microbenchmarks' shop: the generator as {@code pond bench} seeds it, and {@link UserScorer}
 * applied to its events the way the operator applies them, each user's state in a map and the
 * watermark the job's default bound (five minutes) behind each event.
 */
final class GeneratedShop {

    static final long SEED = 42;
    static final long OUT_OF_ORDERNESS = Duration.ofMinutes(5).toMillis();

    private GeneratedShop() {}

    static Generator generator(int users) {
        return BenchData.generator(SEED, users);
    }

    /** Applies {@code event} to its user's state in {@code states}. */
    static void score(UserScorer scorer, Map<String, UserState> states, SpecificRecord event, Emissions out) {
        if (event instanceof ClickEvent c) {
            states.put(c.getUserId(), scorer.onClick(states.get(c.getUserId()), c, watermark(c.getTs().toEpochMilli()), out));
        } else if (event instanceof ArticleRead r) {
            states.put(r.getUserId(), scorer.onRead(states.get(r.getUserId()), r, watermark(r.getTs().toEpochMilli()), out));
        } else {
            OrderEvent o = (OrderEvent) event;
            states.put(o.getUserId(), scorer.onOrder(states.get(o.getUserId()), o, watermark(o.getTs().toEpochMilli()), out));
        }
    }

    private static long watermark(long eventTime) {
        return eventTime - OUT_OF_ORDERNESS;
    }
}
