package dev.pond.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Flink metric reporter that keeps the live metric objects of the local cluster that {@code pond
 * bench} runs in its own JVM, so that the bench reads the job's own counters (events in,
 * checkpoint durations) exactly and at any moment, instead of scraping a sampled endpoint.
 * Registered only by the bench ({@link #configure}); a cluster never loads it unless told to.
 */
public final class BenchMetrics implements MetricReporter {

    private static final String NAME = "pond-bench";

    /**
     * Every metric of every local cluster this JVM has running, with its scope variables, by name:
     * the bench looks at a few counters every 20 ms while the job runs, and going through all of
     * the thousands of metrics each time took a few percent of a core from the job it measures.
     */
    private static final Map<String, List<Entry>> METRICS = new ConcurrentHashMap<>();

    private record Entry(Map<String, String> variables, Metric metric) {}

    /** Makes the local cluster started with {@code conf} report its metrics here. */
    static void configure(Configuration conf) {
        conf.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
    }

    /**
     * The sum over subtasks of the counter called {@code name} in the job called {@code job}: the
     * operator's own, not those of its labelled groups ({@code triggerType}, {@code timerKind}),
     * which carry the same name and one variable more.
     */
    static long counter(String job, String name) {
        int fewest = Integer.MAX_VALUE;
        for (Entry e : named(name)) {
            if (isCounter(e, job)) {
                fewest = Math.min(fewest, e.variables().size());
            }
        }
        long sum = 0;
        for (Entry e : named(name)) {
            if (isCounter(e, job) && e.variables().size() == fewest) {
                sum += ((Counter) e.metric()).getCount();
            }
        }
        return sum;
    }

    /** The largest over subtasks of the operator counter called {@code name} (0 if none). */
    static long max(String job, String name) {
        long max = 0;
        for (Entry e : named(name)) {
            if (isCounter(e, job)) {
                max = Math.max(max, ((Counter) e.metric()).getCount());
            }
        }
        return max;
    }

    /** The sum over subtasks of the counter called {@code name} in the group {@code label} = {@code value}. */
    static long counter(String job, String name, String label, String value) {
        long sum = 0;
        for (Entry e : named(name)) {
            if (isCounter(e, job) && value.equals(e.variables().get("<" + label + ">"))) {
                sum += ((Counter) e.metric()).getCount();
            }
        }
        return sum;
    }

    /** The metrics called {@code name}, of any job and scope. */
    private static List<Entry> named(String name) {
        return METRICS.getOrDefault(name, List.of());
    }

    private static boolean isCounter(Entry e, String job) {
        return e.metric() instanceof Counter && job.equals(e.variables().get("<job_name>"));
    }

    /** A numeric gauge of the job called {@code job} (the JobManager's checkpoint statistics). */
    static OptionalLong gauge(String job, String name) {
        for (Entry e : named(name)) {
            if (e.metric() instanceof Gauge<?> g && job.equals(e.variables().get("<job_name>"))
                    && g.getValue() instanceof Number n) {
                return OptionalLong.of(n.longValue());
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        METRICS.computeIfAbsent(metricName, n -> new CopyOnWriteArrayList<>())
                .add(new Entry(new HashMap<>(group.getAllVariables()), metric));
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        List<Entry> named = METRICS.get(metricName);
        if (named != null) {
            named.removeIf(e -> e.metric() == metric);
        }
    }

    /** Flink creates the reporter through this factory (found with the service loader). */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new BenchMetrics();
        }
    }
}
