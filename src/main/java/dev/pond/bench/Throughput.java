package dev.pond.bench;

/**
 * What one throughput phase measured.
 *
 * @param id short name (A, B, C, D, C10)
 * @param what what ran
 * @param events events processed
 * @param seconds from the first event to the last
 * @param cores cores it used (threads or parallelism, at most the machine's)
 * @param heapPeakBytes highest heap use seen
 * @param rssPeakBytes highest resident set size of the process seen
 * @param checkpoints checkpoints completed during the phase, or null where none ran
 */
record Throughput(String id, String what, long events, double seconds, int cores, long heapPeakBytes,
                  long rssPeakBytes, Checkpoints checkpoints) {

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
