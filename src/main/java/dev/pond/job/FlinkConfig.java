package dev.pond.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The cluster settings of {@code flink-conf/config.yaml}, as shipped in the jar, for the ways Pond
 * runs Flink itself (demo, replay, a local {@code run}). Parsed by Flink's own loader, so the file
 * means the same here as on a cluster.
 */
public final class FlinkConfig {

    private static final String RESOURCE = "/dev/pond/flink-conf/config.yaml";

    private FlinkConfig() {}

    /** The shipped settings with checkpoints and savepoints under {@code localDir}. */
    public static Configuration local(Path localDir) {
        Configuration conf = shippedForLocalRun();
        conf.setString("execution.checkpointing.dir", localDir.resolve("checkpoints").toUri().toString());
        conf.setString("execution.checkpointing.savepoint-dir", localDir.resolve("savepoints").toUri().toString());
        conf.setString("io.tmp.dirs", localDir.resolve("tmp").toString());
        return conf;
    }

    /** The settings in {@code dir/config.yaml}, read by Flink's own loader. */
    public static Configuration load(Path dir) {
        if (!Files.isRegularFile(dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME))) {
            throw new IllegalArgumentException("no " + GlobalConfiguration.FLINK_CONF_FILENAME + " in " + dir);
        }
        return GlobalConfiguration.loadConfiguration(dir.toString());
    }

    /**
     * The shipped settings without what only a cluster reads: its processes' memory (a local run
     * lives in the JVM it was started in) and the metrics reporter, whose jar is in the cluster's
     * lib, not in pond.jar.
     */
    public static Configuration shippedForLocalRun() {
        Configuration conf = shipped();
        conf.removeKey("jobmanager.memory.process.size");
        conf.removeKey("taskmanager.memory.process.size");
        conf.removeKey("metrics.reporters");
        for (String key : conf.keySet()) {
            if (key.startsWith("metrics.reporter.")) {
                conf.removeKey(key);
            }
        }
        return conf;
    }

    /** The shipped settings, unchanged. */
    public static Configuration shipped() {
        try (InputStream in = FlinkConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            Path dir = Files.createTempDirectory("pond-flink-conf");
            try {
                Path file = dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME);
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                return GlobalConfiguration.loadConfiguration(dir.toString());
            } finally {
                Files.deleteIfExists(dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME));
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
