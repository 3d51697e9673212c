package dev.pond.ops;

import dev.pond.job.Topics;
import dev.pond.sql.ExampleQueries;
import dev.pond.testing.KafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Pond and Flink SQL on one standalone cluster, as docs/sql.md tells ops and analysts to run them:
 * {@code ops/cluster.sh} starts a JobManager and two TaskManagers from Maven Central's modules
 * (the table planner and runtime in {@code lib/}, as a distribution has them); Pond's job jar
 * ({@code target/pond-job.jar}) is submitted with Flink's CLI; then Flink's SQL client (embedded
 * gateway, as {@code bin/sql-client.sh} starts it) is given the SQL jars with {@code -j}, never in
 * {@code lib/}, initialised with {@code sql/pond-tables.sql}, and runs every query of
 * {@code sql/examples.sql} on the same cluster while Pond runs. Each result, its changelog
 * applied, equals what Pond's own decoder reads from the topics.
 *
 * <p>Central serves no {@code flink-sql-avro} 2.2.0: the session gets {@code flink-avro} 2.2.0 and
 * the Avro and Jackson jars that {@code flink-sql-avro} bundles ({@code ops/flink-lib/pom.xml}).
 * Runs after {@code package} (failsafe); needs bash, curl and python3, as the scripts do.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class SqlClientIT {

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final Topics TOPICS = Topics.defaults();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path SQL_JARS = ROOT.resolve("ops/flink-lib/target/sql-jars");

    @Test
    void theSqlClientAnswersEveryExampleOnTheClusterPondRunsOn(@TempDir Path work) throws Exception {
        for (String tool : List.of("bash", "curl", "python3")) {
            assumeTrue(OpsScripts.onPath(tool), "ops/cluster.sh needs " + tool + " on the PATH; skipped");
        }
        assertThat(ROOT.resolve("target/pond-job.jar")).as("the job jar of this build").exists();
        ExampleQueries.produceSeededShop(KAFKA, TOPICS);
        Cluster cluster = new Cluster(work);
        try {
            cluster.run("start");
            // Pond's job takes the first TaskManager's slots; the SQL sessions run on the second's.
            cluster.run("add-tm");
            String job = lastLine(cluster.run("submit", "--", "--bootstrap-servers", KAFKA.bootstrapServers(),
                    "--group-id", "sql-client-it", "--transactional-id-prefix", "sql-client-it",
                    "--replication-factor", "1", "--idleness", "5s"));
            cluster.run("await-running", job);
            cluster.run("await-watermark", job, String.valueOf(ExampleQueries.START.plus(ExampleQueries.SPAN).minus(Duration.ofHours(1)).toEpochMilli()));
            cluster.run("await-checkpoint", job); // all it wrote up to its event time's end is committed
            Map<String, List<List<Object>>> expected = ExampleQueries.expected(KAFKA.bootstrapServers(), TOPICS,
                    READ_TIMEOUT);

            List<String> client = new ArrayList<>(List.of("sql"));
            try (Stream<Path> jars = Files.list(SQL_JARS)) {
                jars.sorted().forEach(jar -> client.addAll(List.of("-j", jar.toString())));
            }
            client.addAll(List.of("-i", "sql/pond-tables.sql", "-f", session(work).toString()));
            String out = cluster.run(client.toArray(String[]::new));

            assertThat(out).as("the SQL client's output").doesNotContain("[ERROR]");
            List<List<List<Object>>> results = Tableau.results(out);
            List<String> names = List.copyOf(expected.keySet());
            assertThat(results).as("results of %s; the client said:%n%s", names, out).hasSize(names.size());
            for (int i = 0; i < names.size(); i++) {
                List<List<Object>> rows = expected.get(names.get(i));
                assertThat(rows).as("rows that '%s' must answer", names.get(i)).isNotEmpty();
                ExampleQueries.assertSameElements(names.get(i), results.get(i), rows);
                System.out.printf("SQL client, '%s': %d rows, as the topics say%n", names.get(i), rows.size());
            }
            assertThat(ExampleQueries.expected(KAFKA.bootstrapServers(), TOPICS, READ_TIMEOUT))
                    .as("the topics after the queries (Pond wrote nothing meanwhile)").isEqualTo(expected);
        } finally {
            cluster.run("stop");
        }
    }

    /**
     * The analyst's session: results as tables on standard output, hours in UTC, the tables pointed
     * at the broker and bounded at its latest offsets (so that each query ends), then the examples.
     */
    private static Path session(Path work) throws IOException {
        StringBuilder sql = new StringBuilder()
                .append("SET 'sql-client.execution.result-mode' = 'tableau';\n")
                .append("SET 'table.display.max-column-width' = '500';\n")
                .append("SET 'table.local-time-zone' = 'UTC';\n");
        for (String table : List.of("triggers", "tag_changes", "profiles", "segments", "alerts", "dead_letters")) {
            sql.append("ALTER TABLE ").append(table).append(" SET ('properties.bootstrap.servers' = '")
                    .append(KAFKA.bootstrapServers()).append("', 'scan.bounded.mode' = 'latest-offset');\n");
        }
        sql.append(Files.readString(ExampleQueries.SQL.resolve("examples.sql")));
        return Files.writeString(work.resolve("session.sql"), sql);
    }

    /** The SQL client's {@code tableau} results, each its changelog applied, in plain form. */
    static final class Tableau {
        private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
        private static final Pattern HEADER = Pattern.compile("\\| op \\|(.*)\\|$");
        private static final Pattern ROW = Pattern.compile("^\\| ([+-][IUD]) \\|(.*)\\|$");
        private static final Pattern TOTAL = Pattern.compile("Received a total of (\\d+) rows?");
        private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

        static List<List<List<Object>>> results(String output) {
            List<List<List<Object>>> results = new ArrayList<>();
            List<List<Object>> result = null;
            int columns = 0;
            long changes = 0;
            for (String line : ANSI.matcher(output).replaceAll("").lines().toList()) {
                Matcher header = HEADER.matcher(line);
                Matcher row = ROW.matcher(line);
                Matcher total = TOTAL.matcher(line);
                if (header.find()) {
                    result = new ArrayList<>();
                    columns = header.group(1).split("\\|", -1).length;
                    changes = 0;
                } else if (row.find()) {
                    assertThat(result).as("a row outside a result: %s", line).isNotNull();
                    String[] cells = row.group(2).split("\\|", -1);
                    assertThat(cells).as("cells of %s", line).hasSize(columns);
                    List<Object> values = Arrays.stream(cells).map(c -> value(c.trim())).toList();
                    String kind = row.group(1);
                    if (kind.equals("+I") || kind.equals("+U")) {
                        result.add(values);
                    } else {
                        assertThat(result.remove(values)).as("%s of a row not in the result: %s", kind, line).isTrue();
                    }
                    changes++;
                } else if (total.find() && result != null) {
                    assertThat(changes).as("rows printed against %s", line).isEqualTo(Long.parseLong(total.group(1)));
                    results.add(result);
                    result = null;
                }
            }
            return results;
        }

        /** A printed cell in the plain form of {@link ExampleQueries}. */
        private static Object value(String cell) {
            if (cell.equals("<NULL>")) {
                return null;
            }
            if (cell.equals("TRUE") || cell.equals("FALSE")) {
                return Boolean.valueOf(cell);
            }
            if (TIME.matcher(cell).matches()) { // TIMESTAMP_LTZ in the session's zone, UTC
                return LocalDateTime.parse(cell, TIME_FORMAT).toInstant(ZoneOffset.UTC);
            }
            if (cell.matches("-?\\d+")) {
                return Long.valueOf(cell);
            }
            if (cell.matches("-?\\d+\\.\\d+(E-?\\d+)?")) {
                return Double.valueOf(cell);
            }
            return cell;
        }
    }

    /** ops/cluster.sh with this test's directory and free ports; a step that fails fails the test. */
    private record Cluster(Path work, int restPort, int rpcPort) {
        Cluster(Path work) throws IOException {
            this(work, OpsScripts.freePort(), OpsScripts.freePort());
        }

        String run(String... args) throws IOException, InterruptedException {
            Path log = Files.createTempFile(work, "cluster-", ".log");
            List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("ops/cluster.sh").toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("POND_CLUSTER_DIR", work.resolve("cluster").toString());
            pb.environment().put("POND_REST_PORT", String.valueOf(restPort));
            pb.environment().put("POND_RPC_PORT", String.valueOf(rpcPort));
            pb.environment().put("POND_TM_MEMORY", "2g");
            Process p = pb.start();
            boolean ended = p.waitFor(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(ended).as("cluster.sh %s ended within %s; it said:%n%s", args[0], STEP_TIMEOUT, out).isTrue();
            assertThat(p.exitValue()).as("exit code of cluster.sh %s; it said:%n%s", args[0], out).isZero();
            return out;
        }
    }

    private static String lastLine(String out) {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1).trim();
    }
}
