package dev.pond.bench;

import dev.pond.core.Emissions;
import dev.pond.core.UserScorer;
import dev.pond.demo.Generator;
import dev.pond.model.ModelLoader;
import dev.pond.state.UserState;
import org.apache.avro.specific.SpecificRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The per-event core without Flink: {@link UserScorer} over the events of {@link GeneratedShop}.
 * Reported per event. Run with {@code mvn -Pjmh test-compile exec:exec} (see docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.apache.avro.fastread=true")
public class ScoringBenchmark {

    /** Events per invocation: a young shop of 2,000 users over its first days. */
    static final int EVENTS = 20_000;

    private SpecificRecord[] events;
    private UserScorer scorer;

    @Setup
    public void setUp() {
        scorer = new UserScorer(ModelLoader.demoShop());
        Generator generator = GeneratedShop.generator(2_000);
        events = new SpecificRecord[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            events[i] = generator.next();
        }
    }

    /** Every event of the shop, from no state: the cost of one event, averaged over a young shop's mix. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void scoreEvent(Blackhole sink) {
        Map<String, UserState> states = new HashMap<>();
        Emissions out = new Emissions();
        for (SpecificRecord e : events) {
            GeneratedShop.score(scorer, states, e, out);
            sink.consume(out.profile);
            out.clear();
        }
        sink.consume(states);
    }
}
