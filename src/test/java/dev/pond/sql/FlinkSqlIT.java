package dev.pond.sql;

import dev.pond.demo.Generator;
import dev.pond.demo.KafkaEventSink;
import dev.pond.io.AvroCodec;
import dev.pond.io.KafkaClients;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

    private static final long SEED = 31;
    private static final Instant START = Instant.parse("2026-02-01T00:00:00Z");
    private static final Duration SPAN = Duration.ofDays(120);
    private static final Topics TOPICS = Topics.defaults();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Path SQL = Path.of("sql");

    private static StreamTableEnvironment sql;

    /** Pond scores a seeded shop (with some undecodable records) from and into the default topics. */
    @BeforeAll
    static void pondRunsOverASeededShop(@TempDir Path tmp) throws Exception {
        KafkaClients.ensureTopics(KAFKA.clientConfig(), TOPICS.all(), Set.of(TOPICS.profiles()), 2, (short) 1);
        Generator generator = new Generator(new Generator.Config(SEED, 150, START, START.plus(SPAN), SPAN.dividedBy(3)));
        try (KafkaEventSink sink = new KafkaEventSink(KAFKA.bootstrapServers(), Map.of(), TOPICS, 0.002, SEED)) {
            generator.forEachRemaining(sink::write);
        }
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
    void triggersByTypePerHourAreTheTopicsCounts() throws IOException {
        Map<List<Object>, Long> expected = new TreeMap<>(Comparator.comparing(Object::toString));
        for (Trigger t : decoded(TOPICS.triggers(), Trigger.class)) {
            expected.merge(List.of(t.getType().name(), t.getFiredAt().truncatedTo(ChronoUnit.HOURS)), 1L, Long::sum);
        }
        assertThat(expected.keySet().stream().map(k -> k.get(0)).distinct().count()).as("trigger types").isGreaterThan(3);

        Map<List<Object>, Long> counted = new TreeMap<>(Comparator.comparing(Object::toString));
        for (List<Object> row : query(example("triggers by type per hour"))) {
            counted.put(List.of(row.get(0), row.get(1)), (Long) row.get(2));
        }

        assertSameElements("triggers per type and hour", List.copyOf(counted.entrySet()),
                List.copyOf(expected.entrySet()));
    }

    @Test
    void currentMembersPerSegmentAreTheLatestCountsAndTheProfilesTags() throws IOException {
        Map<String, SegmentCount> last = new TreeMap<>();
        for (SegmentCount c : decoded(TOPICS.segments(), SegmentCount.class)) {
            last.merge(c.getSegment().toString(), c, (a, b) -> b.getWindowEnd().isAfter(a.getWindowEnd()) ? b : a);
        }
        Map<String, Long> expected = last.values().stream().filter(c -> c.getMembers() > 0)
                .collect(Collectors.toMap(c -> c.getSegment().toString(), SegmentCount::getMembers, Long::sum,
                        TreeMap::new));
        assertThat(expected).containsKeys("lifecycle:active", "lifecycle:sleeping", "lifecycle:prospect");

        Map<String, Long> fromCounts = counts(query(example("current members per segment")));
        Map<String, Long> fromProfiles = counts(query(example("current members per segment, from the profiles")));

        assertThat(fromCounts).isEqualTo(expected);
        assertThat(fromProfiles).isEqualTo(expected);
    }

    @Test
    void theSleepingShareAlertsAreListed() throws IOException {
        List<SegmentAlert> alerts = decoded(TOPICS.alerts(), SegmentAlert.class);
        assertThat(alerts).isNotEmpty();

        List<List<Object>> rows = query(example("sleeping-share alerts"));

        assertSameElements("alerts", rows, alerts.stream()
                .map(a -> List.<Object>of(a.getWindowEnd(), a.getRaised(), a.getShare(), a.getNumerator(),
                        a.getDenominator()))
                .toList());
    }

    @Test
    void enteredAndExitedPerSegmentPerDayAreTheCountsSums() throws IOException {
        Map<List<Object>, List<Object>> expected = new TreeMap<>(Comparator.comparing(Object::toString));
        for (SegmentCount c : decoded(TOPICS.segments(), SegmentCount.class)) {
            expected.merge(List.of(c.getSegment().toString(), c.getWindowEnd().truncatedTo(ChronoUnit.DAYS)),
                    List.of(c.getEntered(), c.getExited()),
                    (a, b) -> List.of((Long) a.get(0) + (Long) b.get(0), (Long) a.get(1) + (Long) b.get(1)));
        }

        Map<List<Object>, List<Object>> summed = new TreeMap<>(Comparator.comparing(Object::toString));
        for (List<Object> row : query(example("entered and exited per segment per day"))) {
            summed.put(List.of(row.get(0), row.get(1)), List.of(row.get(2), row.get(3)));
        }

        assertSameElements("entered and exited per day", List.copyOf(summed.entrySet()),
                List.copyOf(expected.entrySet()));
    }

    @Test
    void deadLettersByReasonAreTheTopicsCounts() throws IOException {
        Pattern reason = Pattern.compile("^([a-z]+: [^:]*)");
        Map<List<Object>, Long> expected = new TreeMap<>(Comparator.comparing(Object::toString));
        for (DeadLetter d : decoded(TOPICS.deadLetters(), DeadLetter.class)) {
            Matcher m = reason.matcher(d.getError());
            expected.merge(Arrays.asList(d.getSourceTopic(), m.find() ? m.group(1) : null), 1L, Long::sum);
        }
        assertThat(expected).hasSizeGreaterThan(1);

        Map<List<Object>, Long> counted = new TreeMap<>(Comparator.comparing(Object::toString));
        for (List<Object> row : query(example("dead letters by reason"))) {
            counted.put(Arrays.asList(row.get(0), row.get(1)), (Long) row.get(2));
        }

        assertSameElements("dead letters by reason", List.copyOf(counted.entrySet()),
                List.copyOf(expected.entrySet()));
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

    private static Map<String, Long> counts(List<List<Object>> rows) {
        Map<String, Long> counts = new TreeMap<>();
        rows.forEach(r -> counts.put((String) r.get(0), (Long) r.get(1)));
        return counts;
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

    /** Equal as multisets; a failure names how many differ and the first few on each side. */
    private static <T> void assertSameElements(String what, List<T> actual, List<T> expected) {
        List<T> missing = new ArrayList<>(expected);
        List<T> extra = new ArrayList<>();
        for (T a : actual) {
            if (!missing.remove(a)) {
                extra.add(a);
            }
        }
        assertThat(missing.isEmpty() && extra.isEmpty())
                .as("%s: %d rows, %d expected; %d missing, e.g. %s; %d unexpected, e.g. %s", what, actual.size(),
                        expected.size(), missing.size(), missing.subList(0, Math.min(3, missing.size())),
                        extra.size(), extra.subList(0, Math.min(3, extra.size())))
                .isTrue();
    }

    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        return TopicReader.readCommitted(KAFKA.bootstrapServers(), topic, READ_TIMEOUT);
    }

    private static <T extends SpecificRecord> List<T> decoded(String topic, Class<T> type) throws IOException {
        AvroCodec<T> codec = new AvroCodec<>(type);
        List<T> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed(topic)) {
            records.add(codec.decode(r.value()));
        }
        return records;
    }

    /** The example query headed {@code -- name} in sql/examples.sql. */
    private static String example(String name) throws IOException {
        Map<String, String> examples = new LinkedHashMap<>();
        for (String statement : statements(SQL.resolve("examples.sql"))) {
            // The name is the first line of the comment paragraph right before the query.
            List<String> comments = new ArrayList<>();
            for (String line : statement.lines().toList()) {
                if (line.isBlank()) {
                    comments.clear();
                } else if (line.startsWith("--")) {
                    comments.add(line);
                } else {
                    break;
                }
            }
            examples.put(comments.get(0).substring(2).trim(), statement);
        }
        String query = examples.get(name);
        assertThat(query).as("example '%s' among %s", name, examples.keySet()).isNotNull();
        return query;
    }

    /** The statements of a SQL file: split at a semicolon that ends a line. */
    static List<String> statements(Path file) throws IOException {
        return Arrays.stream(Files.readString(file).split(";\\s*\\n"))
                .filter(s -> s.lines().anyMatch(l -> !l.isBlank() && !l.trim().startsWith("--")))
                .map(String::trim)
                .toList();
    }
}
