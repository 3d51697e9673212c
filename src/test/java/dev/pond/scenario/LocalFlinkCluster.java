package dev.pond.scenario;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.util.MiniClusterPipelineExecutorServiceLoader;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * One Flink MiniCluster for all tests of a class, made the context environment so that code which
 * calls {@code StreamExecutionEnvironment.getExecutionEnvironment(conf)} (as {@link
 * dev.pond.job.Replay} does) runs its jobs on it instead of starting a cluster per job.
 *
 * <p>Like Flink's {@code MiniClusterExtension}, but its {@code TestStreamEnvironment} may
 * randomise job settings (unaligned checkpoints, and more); scenario outputs are compared byte for
 * byte, so here the jobs run with exactly the configuration they ask for.
 */
public final class LocalFlinkCluster implements BeforeAllCallback, AfterAllCallback {

    private final int taskManagers;
    private final int slotsPerTaskManager;
    private MiniCluster cluster;

    public LocalFlinkCluster(int taskManagers, int slotsPerTaskManager) {
        this.taskManagers = taskManagers;
        this.slotsPerTaskManager = slotsPerTaskManager;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("128m"));
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(taskManagers)
                .setNumSlotsPerTaskManager(slotsPerTaskManager)
                .build());
        cluster.start();
        ClusterEnvironment.setAsContext(cluster);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        ClusterEnvironment.unsetAsContext();
        if (cluster != null) {
            cluster.close();
        }
    }

    /** An environment that submits its jobs to one running MiniCluster. */
    private static final class ClusterEnvironment extends StreamExecutionEnvironment {

        ClusterEnvironment(MiniCluster cluster, Configuration conf) {
            super(new MiniClusterPipelineExecutorServiceLoader(cluster),
                    MiniClusterPipelineExecutorServiceLoader.updateConfigurationForMiniCluster(conf, List.of(), List.of()),
                    null);
        }

        static void setAsContext(MiniCluster cluster) {
            initializeContextEnvironment(conf -> new ClusterEnvironment(cluster, conf));
        }

        static void unsetAsContext() {
            resetContextEnvironment();
        }
    }
}
