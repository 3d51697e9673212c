package dev.pond.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The business cases of Pond as scenario scripts (docs/design.md, conventions, 4): every {@code
 * src/test/resources/scenarios/*.yaml} is replayed through the whole topology ({@link
 * dev.pond.job.Replay}, on a MiniCluster, scoring at parallelism 2) and what it writes is checked
 * against the script's expectations. A scenario file reads:
 *
 * <pre>{@code
 * story: Ann adds a serum to her cart at 10:00 and pays at 10:20, so no reminder is sent.
 * model:                          # optional: overrides of default-model.yaml, same structure
 *   triggers: {cartAbandoned: {delayMinutes: 60}}
 * until: 2026-03-10T12:00:00Z     # optional: timers later than this do not fire (default: the last event)
 * events:                         # each line goes to its file (clicks, reads, orders) in this order
 *   - click: {eventId: c1, userId: ann, ts: 2026-03-10T10:00:00Z, type: ADD_TO_CART, productId: serum, price: 99}
 *   - order: {eventId: o1, orderId: A1, userId: ann, ts: 2026-03-10T10:20:00Z, status: PAID, total: 99}
 *   - read:  {eventId: r1, userId: ann, ts: 2026-03-10T20:00:00Z, articleId: a1, opened: true}
 *   - raw:   {file: clicks, line: 'this is not json'}   # a line written as it is
 * expect:
 *   triggers: []                  # required: exactly these triggers in order; [] for none
 *   tags:                         # each listed user's final tags, exactly
 *     ann: [channel:wechat, lifecycle:new, rfm:general-develop]
 *   tagChanges: [...]             # optional: exactly these tag changes in order
 *   profiles: {ann: {...}}        # optional: each listed user's last profile
 *   deadLetters: [...]            # exactly these dead letters in order; none if left out
 * }</pre>
 *
 * <p>Events use the field names of the Avro schemas; {@code ts} is ISO-8601 and becomes epoch
 * milliseconds. The replay merges the files by event time (equal times: clicks, then reads, then
 * orders) but keeps each file's own line order, so a line written after a later one in its file
 * arrives late, and a watermark (5 minutes behind the latest event) follows every event.
 *
 * <p>Expected records match partially (only the fields given; a field the schema does not have is
 * an error), lists match exactly, times are compared as instants, and a decimal is as precise as
 * written ({@code 10.83} matches 10.8312). A user's final tags are the folded {@code tags.jsonl}
 * (see {@link ScenarioVerifier}). Unknown keys anywhere in a scenario fail it.
 */
class ScenarioTest {

    @RegisterExtension
    static final LocalFlinkCluster FLINK = new LocalFlinkCluster(1, 2);

    static Stream<String> scenarios() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(String file, @TempDir Path dir) throws Exception {
        Scenario scenario = Scenario.read(directory().resolve(file));

        ScenarioRunner.Outcome outcome = ScenarioRunner.run(scenario, dir, 2);

        ScenarioVerifier.verify(scenario, outcome);
    }

    /** A scenario directory that went missing, or lost most of its files, must not pass quietly. */
    @Test
    void theScenariosAreThere() throws Exception {
        List<String> names = scenarios().toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(20).contains("cart-abandoned.yaml", "dead-letters.yaml");
    }

    static Path directory() throws URISyntaxException {
        URL url = ScenarioTest.class.getResource("/scenarios");
        assertThat(url).as("src/test/resources/scenarios on the test class path").isNotNull();
        return Path.of(url.toURI());
    }
}
