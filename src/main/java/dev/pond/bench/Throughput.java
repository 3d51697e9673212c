package dev.pond.bench;

/**
 * What one throughput phase measured.
 *
 * @param id short name (A, B, C, D, C-small)
 * @param what what ran
 * @param events events processed
 * @param seconds from the first event to the last
 * @param cores cores it used (threads or parallelism, at most the machine's)
 * @param heapPeakBytes highest live heap seen (after collections)
 * @param rssPeakBytes highest resident set size of the process seen
 * @param checkpoints checkpoints completed during the phase, or null where none ran
 * @param work what the scoring operator did besides the events (null where it did not run)
 * @param cpuSeconds CPU time of the whole process over the timed part (broker included)
 * @param jitSeconds the JIT compiler's time compiling over the timed part, summed over its threads (elapsed, as the JVM counts it)
 * @param processed events the phase processed in all, warm-up included, as its own counter said at
 *     the end: the data set's size, unless something was lost or counted twice
 */
record Throughput(String id, String what, long events, double seconds, int cores, long heapPeakBytes,
                  long rssPeakBytes, Checkpoints checkpoints, Work work, double cpuSeconds, double jitSeconds, long processed) {

    /** CPU per event, all threads of the process together: what an event costs, whoever waits for whom. */
    double cpuMicrosPerEvent() {
        return cpuSeconds * 1e6 / events;
    }

    /**
     * The scoring operator's own counters at the end of a phase, all per input event: where the
     * time goes besides the events themselves.
     *
     * @param timersPerEvent event-time timers fired (each one a state read and write)
     * @param timersByKindPerEvent what they were for (one timer may serve several)
     * @param timersSetPerEvent timers registered (each a write to the timer store)
     * @param timersDeletedPerEvent timers deleted before they fired (each a write, too)
     * @param profilesPerEvent profiles emitted
     * @param tagChangesPerEvent tag changes emitted
     * @param triggersPerEvent triggers emitted
     * @param stateReadsPerEvent reads of a user's state (each step reads it once and writes it once):
     *     phase K's is 1
     */
    record Work(double timersPerEvent, java.util.Map<String, Double> timersByKindPerEvent, double timersSetPerEvent,
                double timersDeletedPerEvent, double profilesPerEvent, double tagChangesPerEvent,
                double triggersPerEvent, double stateReadsPerEvent) {}

    double eventsPerSecond() {
        return events / seconds;
    }

    double eventsPerSecondPerCore() {
        return eventsPerSecond() / cores;
    }

    /**
     * Checkpoint statistics of a phase, from the JobManager's own gauges.
     *
     * @param completed how many completed
     * @param meanMillis mean duration
     * @param maxMillis longest duration
     * @param lastSizeBytes size of the last one (incremental: what it uploaded)
     * @param lastFullSizeBytes full size of the state at the last one
     */
    record Checkpoints(long completed, double meanMillis, long maxMillis, long lastSizeBytes, long lastFullSizeBytes) {}
}
