package dev.pond.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The highest heap use and resident set size seen while a phase runs, sampled whenever the bench
 * polls its progress. The resident set is the whole process: broker, Flink, RocksDB's native
 * memory and the bench together, as one machine would carry them.
 */
final class MemoryPeak {

    private static final Path STATUS = Path.of("/proc/self/status");

    private long heap;
    private long rss;

    void sample() {
        heap = Math.max(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        rss = Math.max(rss, residentSetBytes());
    }

    long heapBytes() {
        return heap;
    }

    /** 0 where the OS does not say (not Linux). */
    long rssBytes() {
        return rss;
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
