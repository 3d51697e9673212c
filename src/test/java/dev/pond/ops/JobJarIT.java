package dev.pond.ops;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job artifact the package phase builds for {@code flink run} ({@code target/pond-job.jar}):
 * small, with Flink, RocksDB, the broker and Scala left to the cluster, and the Kafka connector
 * inside (docs/operations.md, Deploy). ClusterChaosIT runs it on a real cluster.
 */
class JobJarIT {

    private static final Path JAR = Path.of("target", "pond-job.jar");

    @Test
    void holdsPondAndItsConnectorButNoFlinkRuntimeBrokerOrScala() throws Exception {
        assertThat(Files.size(JAR)).as("size of %s", JAR).isLessThan(40L * 1024 * 1024);
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = Collections.list(jar.entries()).stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("dev/pond/Pond.class", "dev/pond/job/PondJob.class",
                    "org/apache/flink/connector/kafka/source/KafkaSource.class",
                    "org/apache/flink/formats/avro/typeutils/AvroSerializer.class",
                    "org/apache/kafka/clients/consumer/KafkaConsumer.class", "org/apache/avro/Schema.class",
                    "dev/pond/flink-conf/config.yaml");
            assertThat(names).as("the broker (kafka.server) and Scala")
                    .noneMatch(n -> n.startsWith("kafka/") && n.endsWith(".class"))
                    .noneMatch(n -> n.startsWith("scala/"));
            assertThat(names).as("Flink's runtime and RocksDB, which the cluster has")
                    .noneMatch(n -> n.startsWith("org/apache/flink/runtime/"))
                    .noneMatch(n -> n.startsWith("org/apache/flink/streaming/api/environment/"))
                    .noneMatch(n -> n.startsWith("org/rocksdb/"))
                    .noneMatch(n -> n.startsWith("org/apache/logging/log4j/"));
            assertThat(names).as("SQL table factories, which would offer Pond's connector to SQL sessions")
                    .doesNotContain("META-INF/services/org.apache.flink.table.factories.Factory");
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.pond.Pond");
        }
    }
}
