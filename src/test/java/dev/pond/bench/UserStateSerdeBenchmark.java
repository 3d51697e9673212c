package dev.pond.bench;

import dev.pond.core.Emissions;
import dev.pond.core.UserScorer;
import dev.pond.demo.Generator;
import dev.pond.model.ModelLoader;
import dev.pond.state.UserState;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
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

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What RocksDB costs Pond per event besides RocksDB itself: encoding and decoding one user's
 * {@link UserState} with Flink's Avro serializer, the way the keyed state does at every event
 * and timer. The states are those of a seeded generator shop after its first days (the mix of
 * visitors, carts and buyers the job holds). Decoding is measured with Avro's fast reader (what
 * Pond runs with) and with its generic resolving reader (Avro's default). Reported per state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.apache.avro.fastread=true")
public class UserStateSerdeBenchmark {

    static final int STATES = 2_000;

    private UserState[] states;
    private byte[][] encoded;
    private AvroSerializer<UserState> serializer;
    private final DataOutputSerializer output = new DataOutputSerializer(4096);
    private final DataInputDeserializer input = new DataInputDeserializer();

    @Setup
    public void setUp() throws IOException {
        UserScorer scorer = new UserScorer(ModelLoader.demoShop());
        Generator generator = GeneratedShop.generator(STATES);
        Map<String, UserState> byUser = new HashMap<>();
        Emissions out = new Emissions();
        // Every user, and their first days: visitors, carts and buyers in the mix the job holds.
        while (byUser.size() < STATES || generator.peekTime() < BenchData.START.plus(Duration.ofDays(4)).toEpochMilli()) {
            GeneratedShop.score(scorer, byUser, generator.next(), out);
            out.clear();
        }
        states = byUser.values().toArray(new UserState[0]);
        serializer = new AvroSerializer<>(UserState.class);
        encoded = new byte[states.length][];
        for (int i = 0; i < states.length; i++) {
            output.clear();
            serializer.serialize(states[i], output);
            encoded[i] = output.getCopyOfBuffer();
        }
    }

    @Benchmark
    @OperationsPerInvocation(STATES)
    public void encode(Blackhole sink) throws IOException {
        for (UserState s : states) {
            output.clear();
            serializer.serialize(s, output);
            sink.consume(output.length());
        }
    }

    @Benchmark
    @OperationsPerInvocation(STATES)
    public void decodeFastReader(Blackhole sink) throws IOException {
        decodeAll(sink);
    }

    @Benchmark
    @OperationsPerInvocation(STATES)
    @Fork(value = 1, jvmArgsAppend = "-Dorg.apache.avro.fastread=false")
    public void decodeGenericReader(Blackhole sink) throws IOException {
        decodeAll(sink);
    }

    private void decodeAll(Blackhole sink) throws IOException {
        for (byte[] bytes : encoded) {
            input.setBuffer(bytes);
            sink.consume(serializer.deserialize(input));
        }
    }
}
