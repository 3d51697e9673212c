package dev.pond.sql;

import dev.pond.demo.Generator;
import dev.pond.demo.KafkaEventSink;
import dev.pond.io.AvroCodec;
import dev.pond.io.KafkaClients;
import dev.pond.io.TopicReader;
import dev.pond.job.Topics;
import dev.pond.out.DeadLetter;
import dev.pond.out.Profile;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.Trigger;
import dev.pond.testing.KafkaExtension;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The named queries of {@code sql/examples.sql} and what each must answer, computed here from the
 * topics as Pond's own decoder reads them (committed records only). Rows are in plain form: text as
 * {@code String}, times as {@code Instant}, counts as {@code Long}, shares as {@code Double}, flags
 * as {@code Boolean}, SQL NULL as {@code null}; results compare as multisets. {@code FlinkSqlIT}
 * checks the queries run by the Table API in the MiniCluster, {@code SqlClientIT} the same queries
 * run by Flink's SQL client on a standalone cluster.
 */
public final class ExampleQueries {

    public static final Path SQL = Path.of("sql");
    /** The seeded shop both tests query: 150 users over 120 days from {@link #START}, some undecodable records. */
    public static final Instant START = Instant.parse("2026-02-01T00:00:00Z");
    public static final Duration SPAN = Duration.ofDays(120);
    private static final long SEED = 31;
    public static final String TRIGGERS_PER_HOUR = "triggers by type per hour";
    public static final String MEMBERS = "current members per segment";
    public static final String MEMBERS_FROM_PROFILES = "current members per segment, from the profiles";
    public static final String ENTERED_AND_EXITED = "entered and exited per segment per day";
    public static final String ALERTS = "sleeping-share alerts";
    public static final String DEAD_LETTERS = "dead letters by reason";

    private static final Pattern REASON = Pattern.compile("^([a-z]+: [^:]*)");
    private static final List<String> MEMBER_TAGS = List.of("lifecycle:", "rfm:", "tier:", "interest:");

    private ExampleQueries() {
    }

    /**
     * Creates the default topics (two partitions, profiles compacted) and produces the seeded
     * shop's events into them, with undecodable records beside them at a rate of 0.002.
     */
    public static void produceSeededShop(KafkaExtension kafka, Topics topics) throws InterruptedException {
        KafkaClients.ensureTopics(kafka.clientConfig(), topics.all(), Set.of(topics.profiles()), 2, (short) 1);
        Generator generator = new Generator(new Generator.Config(SEED, 150, START, START.plus(SPAN), SPAN.dividedBy(3)));
        try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), Map.of(), topics, 0.002, SEED)) {
            generator.forEachRemaining(sink::write);
        }
    }

    /** The example queries by name, in the file's order. */
    public static Map<String, String> all() {
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
        return examples;
    }

    /** The example query headed {@code -- name}. */
    public static String named(String name) {
        Map<String, String> examples = all();
        String query = examples.get(name);
        assertThat(query).as("example '%s' among %s", name, examples.keySet()).isNotNull();
        return query;
    }

    /** The statements of a SQL file: split at a semicolon that ends a line. */
    public static List<String> statements(Path file) {
        try {
            return Arrays.stream(Files.readString(file).split(";\\s*\\n"))
                    .filter(s -> s.lines().anyMatch(l -> !l.isBlank() && !l.trim().startsWith("--")))
                    .map(String::trim)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What every example must answer over the topics as they are now, by name (all of {@link #all()}),
     * hours and days in UTC.
     */
    public static Map<String, List<List<Object>>> expected(String bootstrap, Topics topics, Duration timeout) {
        Map<String, List<List<Object>>> answers = new LinkedHashMap<>();

        Map<List<Object>, Long> perHour = new TreeMap<>(ExampleQueries::byText);
        for (Trigger t : decoded(bootstrap, topics.triggers(), Trigger.class, timeout)) {
            perHour.merge(List.of(t.getType().name(), t.getFiredAt().truncatedTo(ChronoUnit.HOURS)), 1L, Long::sum);
        }
        answers.put(TRIGGERS_PER_HOUR, rows(perHour));

        List<SegmentCount> counts = decoded(bootstrap, topics.segments(), SegmentCount.class, timeout);
        Map<String, SegmentCount> last = new TreeMap<>();
        for (SegmentCount c : counts) {
            last.merge(c.getSegment().toString(), c, (a, b) -> b.getWindowEnd().isAfter(a.getWindowEnd()) ? b : a);
        }
        answers.put(MEMBERS, last.values().stream().filter(c -> c.getMembers() > 0)
                .map(c -> List.<Object>of(c.getSegment().toString(), c.getMembers())).toList());

        Map<String, Profile> latest = new TreeMap<>();
        for (Profile p : decoded(bootstrap, topics.profiles(), Profile.class, timeout)) {
            latest.put(p.getUserId().toString(), p); // one user's profiles are in one partition, in order
        }
        Map<List<Object>, Long> members = new TreeMap<>(ExampleQueries::byText);
        for (Profile p : latest.values()) {
            for (CharSequence tag : p.getTags()) {
                if (MEMBER_TAGS.stream().anyMatch(tag.toString()::startsWith)) {
                    members.merge(List.of(tag.toString()), 1L, Long::sum);
                }
            }
        }
        answers.put(MEMBERS_FROM_PROFILES, rows(members));

        Map<List<Object>, List<Object>> perDay = new TreeMap<>(ExampleQueries::byText);
        for (SegmentCount c : counts) {
            perDay.merge(List.of(c.getSegment().toString(), c.getWindowEnd().truncatedTo(ChronoUnit.DAYS)),
                    List.of(c.getEntered(), c.getExited()),
                    (a, b) -> List.of((Long) a.get(0) + (Long) b.get(0), (Long) a.get(1) + (Long) b.get(1)));
        }
        List<List<Object>> days = new ArrayList<>();
        perDay.forEach((k, v) -> days.add(List.of(k.get(0), k.get(1), v.get(0), v.get(1))));
        answers.put(ENTERED_AND_EXITED, days);

        answers.put(ALERTS, decoded(bootstrap, topics.alerts(), SegmentAlert.class, timeout).stream()
                .filter(a -> a.getAlert().toString().equals("sleeping-share"))
                .map(a -> List.<Object>of(a.getWindowEnd(), a.getRaised(), a.getShare(), a.getNumerator(),
                        a.getDenominator()))
                .toList());

        Map<List<Object>, Long> reasons = new TreeMap<>(ExampleQueries::byText);
        for (DeadLetter d : decoded(bootstrap, topics.deadLetters(), DeadLetter.class, timeout)) {
            Matcher m = REASON.matcher(d.getError());
            reasons.merge(Arrays.asList(d.getSourceTopic().toString(), m.find() ? m.group(1) : null), 1L, Long::sum);
        }
        answers.put(DEAD_LETTERS, rows(reasons));

        assertThat(answers.keySet()).as("the examples of sql/examples.sql").isEqualTo(all().keySet());
        return answers;
    }

    /** Equal as multisets; a failure names how many differ and the first few on each side. */
    public static <T> void assertSameElements(String what, List<T> actual, List<T> expected) {
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

    static <T extends SpecificRecord> List<T> decoded(String bootstrap, String topic, Class<T> type, Duration timeout) {
        AvroCodec<T> codec = new AvroCodec<>(type);
        List<T> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readCommitted(bootstrap, topic, timeout)) {
            try {
                records.add(codec.decode(r.value()));
            } catch (IOException e) {
                throw new UncheckedIOException(topic + " offset " + r.offset(), e);
            }
        }
        return records;
    }

    private static List<List<Object>> rows(Map<List<Object>, Long> counted) {
        List<List<Object>> rows = new ArrayList<>();
        counted.forEach((key, n) -> {
            List<Object> row = new ArrayList<>(key);
            row.add(n);
            rows.add(row);
        });
        return rows;
    }

    private static int byText(List<Object> a, List<Object> b) {
        return a.toString().compareTo(b.toString());
    }
}
