package dev.pond.core;

import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import dev.pond.model.Model;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import dev.pond.state.UserState;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Drives {@link UserScorer} for one user the way the Flink operator does, without Flink: events
 * are processed at the current watermark; advancing the watermark fires the registered event-time
 * timers in order, each seeing the new watermark; the registered timers always follow {@link
 * UserScorer#timers(UserState)}. Collects everything emitted: triggers, tag changes, profiles.
 */
final class TimeDriver {

    private final UserScorer scorer;
    private final String user;
    private final TreeSet<Long> registered = new TreeSet<>();
    private final Emissions out = new Emissions();
    final List<Trigger> triggers = new ArrayList<>();
    final List<TagChange> tagChanges = new ArrayList<>();
    final List<Profile> profiles = new ArrayList<>();
    UserState state;
    long watermark = Long.MIN_VALUE;
    int tooLate;

    TimeDriver(Model model, String user) {
        this.scorer = new UserScorer(model);
        this.user = user;
    }

    TimeDriver click(ClickEvent e) {
        long[] before = UserScorer.timers(state);
        state = scorer.onClick(state, e, watermark, out);
        return done(before);
    }

    TimeDriver order(OrderEvent e) {
        long[] before = UserScorer.timers(state);
        state = scorer.onOrder(state, e, watermark, out);
        return done(before);
    }

    TimeDriver read(ArticleRead e) {
        long[] before = UserScorer.timers(state);
        state = scorer.onRead(state, e, watermark, out);
        return done(before);
    }

    /** Moves the watermark to {@code w}, firing every registered timer up to it, earliest first. */
    TimeDriver watermark(long w) {
        watermark = Math.max(watermark, w);
        while (!registered.isEmpty() && registered.first() <= watermark) {
            long t = registered.pollFirst();
            long[] before = UserScorer.timers(state);
            scorer.onTimer(state, user, t, out);
            done(before);
        }
        return this;
    }

    /** The registered timers, earliest first. */
    List<Long> timers() {
        return new ArrayList<>(registered);
    }

    private TimeDriver done(long[] before) {
        for (long t : before) {
            registered.remove(t);
        }
        for (long t : UserScorer.timers(state)) {
            registered.add(t);
        }
        triggers.addAll(out.triggers);
        tagChanges.addAll(out.tagChanges);
        if (out.profile != null) {
            profiles.add(out.profile);
        }
        tooLate += out.tooLateForReminder;
        out.clear();
        return this;
    }
}
