package dev.pond.sql;

import dev.pond.io.AvroCodec;
import dev.pond.io.KafkaSinks;
import dev.pond.io.KafkaSources;
import dev.pond.io.TopicReader;
import dev.pond.job.FlinkConfig;
import dev.pond.job.JobOptions;
import dev.pond.job.PondJob;
import dev.pond.job.Topics;
import dev.pond.model.ModelLoader;
import dev.pond.out.DeadLetter;
import dev.pond.out.Profile;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import dev.pond.testing.KafkaExtension;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.pond.sql.ExampleQueries.ALERTS;
import static dev.pond.sql.ExampleQueries.DEAD_LETTERS;
import static dev.pond.sql.ExampleQueries.MEMBERS;
import static dev.pond.sql.ExampleQueries.MEMBERS_FROM_PROFILES;
import static dev.pond.sql.ExampleQueries.SPAN;
import static dev.pond.sql.ExampleQueries.SQL;
import static dev.pond.sql.ExampleQueries.START;
import static dev.pond.sql.ExampleQueries.TRIGGERS_PER_HOUR;
import static dev.pond.sql.ExampleQueries.assertSameElements;
import static dev.pond.sql.ExampleQueries.statements;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped DDL ({@code sql/pond-tables.sql}) and analysts' queries ({@code sql/examples.sql}),
 * run by real Flink SQL (planner, Kafka table connector, {@code avro} format) in the MiniCluster
 * over what the whole Pond job wrote to the embedded broker: every column of every table reads
 * exactly what Pond's own decoder reads, and the queries give exactly the counts computed here
 * from the decoded records.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FlinkSqlIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final Topics TOPICS = Topics.defaults();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static StreamTableEnvironment sql;
    private static Map<String, List<List<Object>>> answers;

    /** Pond scores a seeded shop (with some undecodable records) from and into the default topics. */
    @BeforeAll
    static void pondRunsOverASeededShop(@TempDir Path tmp) throws Exception {
        ExampleQueries.produceSeededShop(KAFKA, TOPICS);
        JobOptions options = JobOptions.defaults(KAFKA.bootstrapServers()).withTopics(TOPICS)
                .withGroup("sql-it", "sql-it").withStart(JobOptions.StartFrom.EARLIEST, true);
        Configuration conf = FlinkConfig.local(tmp.resolve("flink"));
        conf.setString("execution.checkpointing.interval", "500 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        PondJob.defineWorkflow(env, new KafkaSources(options), new KafkaSinks(options), ModelLoader.defaults(),
                START.plus(SPAN).toEpochMilli());
        env.execute("pond for sql");

        sql = StreamTableEnvironment.create(StreamExecutionEnvironment.getExecutionEnvironment());
        sql.getConfig().set("table.local-time-zone", "UTC");
        for (String statement : statements(SQL.resolve("pond-tables.sql"))) {
            sql.executeSql(statement);
        }
        for (String table : List.of("triggers", "tag_changes", "profiles", "segments", "alerts", "dead_letters")) {
            // As an analyst points the tables at a broker, here with a fixed end so that queries finish.
            sql.executeSql("ALTER TABLE " + table + " SET ('properties.bootstrap.servers' = '"
                    + KAFKA.bootstrapServers() + "', 'scan.bounded.mode' = 'latest-offset')");
        }
    }

    @Test
    void everyColumnOfEveryAppendTableReadsWhatPondWrote() throws IOException {
        assertSameRows("triggers", TOPICS.triggers(), Trigger.class);
        assertSameRows("tag_changes", TOPICS.tags(), TagChange.class);
        assertSameRows("segments", TOPICS.segments(), SegmentCount.class);
        assertSameRows("alerts", TOPICS.alerts(), SegmentAlert.class);
        assertSameRows("dead_letters", TOPICS.deadLetters(), DeadLetter.class);
    }

    @Test
    void theProfilesTableHoldsEachUsersLatestProfile() throws IOException {
        Map<String, List<Object>> latest = new TreeMap<>();
        Schema wire = new AvroCodec<>(Profile.class).wireSchema();
        for (ConsumerRecord<byte[], byte[]> r : committed(TOPICS.profiles())) {
            List<Object> row = avroRow(wire, r.value());
            latest.put((String) row.get(0), row); // one user's profiles are in one partition, in order
        }
        assertThat(latest).hasSizeGreaterThan(100);

        List<List<Object>> rows = query("SELECT * FROM profiles");

        assertSameElements("profiles", rows, List.copyOf(latest.values()));
    }

    @Test
    void theExamplesHaveSomethingToCountAndBothSegmentCountsAgree() {
        Map<String, List<List<Object>>> expected = answers();
        assertThat(expected.get(TRIGGERS_PER_HOUR).stream().map(r -> r.get(0)).distinct().count())
                .as("trigger types").isGreaterThan(3);
        assertThat(expected.get(MEMBERS).stream().map(r -> r.get(0)))
                .contains("lifecycle:active", "lifecycle:sleeping", "lifecycle:prospect");
        assertThat(expected.get(ALERTS)).isNotEmpty();
        assertThat(expected.get(DEAD_LETTERS)).hasSizeGreaterThan(1);
        // The job ran to the end of its input (a bounded run): the last counts and profiles agree.
        assertSameElements("members from the counts and from the profiles", expected.get(MEMBERS_FROM_PROFILES),
                expected.get(MEMBERS));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleQueryAnswersWhatTheTopicsHold() {
        return answers().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> assertSameElements(e.getKey(), query(ExampleQueries.named(e.getKey())), e.getValue())));
    }

    // ---------------------------------------------------------------------------------------------

    private static <T extends SpecificRecord> void assertSameRows(String table, String topic, Class<T> type)
            throws IOException {
        Schema wire = new AvroCodec<>(type).wireSchema();
        List<List<Object>> expected = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed(topic)) {
            expected.add(avroRow(wire, r.value()));
        }
        assertThat(expected).as("records in %s", topic).isNotEmpty();

        List<List<Object>> rows = query("SELECT * FROM " + table);

        assertSameElements(table, rows, expected);
    }

    /** The query's final result: its changelog applied (updates retract the rows they replace). */
    private static List<List<Object>> query(String statement) {
        List<Row> result = new ArrayList<>();
        try (CloseableIterator<Row> rows = sql.executeSql(statement).collect()) {
            while (rows.hasNext()) {
                Row row = rows.next();
                RowKind kind = row.getKind();
                row.setKind(RowKind.INSERT);
                if (kind == RowKind.INSERT || kind == RowKind.UPDATE_AFTER) {
                    result.add(row);
                } else if (!result.remove(row)) {
                    throw new AssertionError(kind + " of a row not in the result: " + row);
                }
            }
        } catch (Exception e) {
            throw new AssertionError(statement, e);
        }
        return result.stream().map(r -> (List<Object>) flinkValue(r)).toList();
    }

    /** A Flink value in the plain form {@link #avroValue} gives too. */
    private static Object flinkValue(Object v) {
        if (v instanceof Row row) {
            List<Object> fields = new ArrayList<>();
            for (int i = 0; i < row.getArity(); i++) {
                fields.add(flinkValue(row.getField(i)));
            }
            return fields;
        }
        if (v instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        if (v instanceof LocalDateTime utc) { // a TIMESTAMP(3) column: the UTC time of day of an instant
            return utc.toInstant(ZoneOffset.UTC);
        }
        if (v instanceof Object[] array) {
            return Arrays.stream(array).map(FlinkSqlIT::flinkValue).toList();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> plain = new TreeMap<>();
            map.forEach((k, x) -> plain.put(k.toString(), flinkValue(x)));
            return plain;
        }
        return v;
    }

    private static List<Object> avroRow(Schema wire, byte[] bytes) throws IOException {
        Object record = new GenericDatumReader<>(wire, wire, new GenericData())
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        @SuppressWarnings("unchecked")
        List<Object> row = (List<Object>) avroValue(wire, record);
        return row;
    }

    /** A value read with the wire schema and no conversions, in plain form: records as lists, times as instants. */
    private static Object avroValue(Schema s, Object v) {
        return switch (s.getType()) {
            case RECORD -> s.getFields().stream()
                    .map(f -> avroValue(f.schema(), ((GenericData.Record) v).get(f.pos())))
                    .collect(Collectors.toCollection(ArrayList::new));
            case UNION -> v == null ? null : avroValue(s.getTypes().get(GenericData.get().resolveUnion(s, v)), v);
            case ARRAY -> ((List<?>) v).stream().map(x -> avroValue(s.getElementType(), x)).toList();
            case MAP -> {
                Map<String, Object> plain = new TreeMap<>();
                ((Map<?, ?>) v).forEach((k, x) -> plain.put(k.toString(), avroValue(s.getValueType(), x)));
                yield plain;
            }
            case STRING -> v.toString();
            case BYTES -> {
                ByteBuffer b = ((ByteBuffer) v).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                yield HexFormat.of().formatHex(bytes);
            }
            case LONG -> s.getLogicalType() instanceof LogicalTypes.TimestampMillis ? Instant.ofEpochMilli((Long) v) : v;
            default -> v;
        };
    }

    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        return TopicReader.readCommitted(KAFKA.bootstrapServers(), topic, READ_TIMEOUT);
    }

    /** What the examples must answer: the job has ended, so computed once. */
    private static synchronized Map<String, List<List<Object>>> answers() {
        if (answers == null) {
            answers = ExampleQueries.expected(KAFKA.bootstrapServers(), TOPICS, READ_TIMEOUT);
        }
        return answers;
    }
}
