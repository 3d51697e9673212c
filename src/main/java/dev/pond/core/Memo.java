package dev.pond.core;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Moments worked out from a key (a date and time resolved in a zone) and kept once found, since the
 * rules ask for the same few again at every event and timer. Bounded: past {@link #LIMIT} keys it
 * starts over. The function must depend on its key alone, so that keeping an answer changes none.
 * Not thread-safe: one per scorer, which one task thread runs.
 */
final class Memo<K> {

    /** Keys kept before the memo starts over: 366 birthdays × a shop's zones × a few years. */
    static final int LIMIT = 20_000;

    private final Map<K, Long> known = new HashMap<>();
    private final ToLongFunction<K> compute;

    Memo(ToLongFunction<K> compute) {
        this.compute = compute;
    }

    long get(K key) {
        Long k = known.get(key);
        if (k != null) {
            return k;
        }
        long v = compute.applyAsLong(key);
        if (known.size() >= LIMIT) {
            known.clear();
        }
        known.put(key, v);
        return v;
    }
}
