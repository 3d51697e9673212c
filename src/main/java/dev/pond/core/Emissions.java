package dev.pond.core;

import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerOutcome;

import java.util.ArrayList;
import java.util.List;

/**
 * What one step of {@link UserScorer} produced. The caller owns one instance, hands it to every
 * step and drains it afterwards, so that a step allocates no result object of its own.
 */
public final class Emissions {

    public final List<TagChange> tagChanges = new ArrayList<>();
    public final List<Trigger> triggers = new ArrayList<>();
    /** The new profile, if it changed materially; else null. */
    public Profile profile;
    /** Late add-to-cart events whose reminder would already have been due: no episode was opened. */
    public int tooLateForReminder;
    /** Triggers the contact policy did not send, by {@link TriggerOutcome} ordinal. */
    public final int[] notSent = new int[TriggerOutcome.values().length];
    /** Times a trigger was deferred out of quiet hours. */
    public int deferred;
    /** The user was silent for {@code limits.forgetAfterDays}: the caller clears their state and timers. */
    public boolean forgotten;

    public void clear() {
        java.util.Arrays.fill(notSent, 0);
        deferred = 0;
        tagChanges.clear();
        triggers.clear();
        profile = null;
        tooLateForReminder = 0;
        forgotten = false;
    }
}
