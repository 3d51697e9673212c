package dev.pond.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The most memory a phase held, sampled whenever the bench polls its progress: the live heap (what
 * the heap pools held after their latest collection, so garbage not yet collected does not count)
 * and the resident set size of the whole process (broker, Flink, RocksDB's native memory and the
 * bench together, as one machine would carry them; it rarely shrinks, so a phase also shows what
 * the phases before it left resident).
 */
final class MemoryPeak {

    private static final Path STATUS = Path.of("/proc/self/status");

    private long heap;
    private long rss;

    void sample() {
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (afterGc != null) {
                live += afterGc.getUsed();
            }
        }
        heap = Math.max(heap, live);
        rss = Math.max(rss, residentSetBytes());
    }

    long heapBytes() {
        return heap;
    }

    /** 0 where the OS does not say (not Linux). */
    long rssBytes() {
        return rss;
    }

    /**
     * Time the JIT compiler has spent compiling so far, in milliseconds, summed over its threads
     * (elapsed, as the JVM counts it; -1 where it does not): what a job running for days spends once.
     */
    static long compileMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** CPU time the whole process has used so far, in nanoseconds (-1 where the JVM does not say). */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static long residentSetBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring("VmRSS:".length()).replace("kB", "").trim();
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            return 0;
        }
        return 0;
    }
}
