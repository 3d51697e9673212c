package dev.pond.bench;

import dev.pond.job.FlinkConfig;
import dev.pond.job.PondJob;
import dev.pond.scoring.UserScoringOperator;
import dev.pond.state.UserState;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored size of every user's state after a run, read from the savepoint the run stopped with
 * (Flink's State Processor API): the Avro binary of each {@link UserState}, which is what RocksDB
 * holds as the value (the key, the userId and its key group, comes on top).
 *
 * @param users users with state
 * @param meanBytes mean size
 * @param medianBytes median size
 * @param p99Bytes 99th percentile
 * @param maxBytes largest
 * @param meanBytesByField what the mean is made of: each top-level field's mean encoded size, largest first
 */
record StateSizes(long users, double meanBytes, int medianBytes, int p99Bytes, int maxBytes,
                  Map<String, Double> meanBytesByField) {

    static StateSizes read(String savepoint, Path work) throws Exception {
        Configuration conf = FlinkConfig.local(work.resolve("flink-state-sizes"));
        conf.setString("parallelism.default", "1");
        // The reader is a batch job of the State Processor API, whose own source has no uid; nothing restores it.
        conf.setString("pipeline.auto-generate-uids", "true");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        SavepointReader reader = SavepointReader.read(env, savepoint, new HashMapStateBackend());
        List<Schema.Field> fields = UserState.getClassSchema().getFields();
        long[] byField = new long[fields.size()];
        int[] sizes = new int[1024];
        int n = 0;
        try (CloseableIterator<int[]> it = reader.readKeyedState(OperatorIdentifier.forUid(PondJob.UID_SCORING),
                new SizeReader(), Types.STRING, PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO)
                .executeAndCollect("bench state sizes")) {
            while (it.hasNext()) {
                int[] user = it.next();
                if (n == sizes.length) {
                    sizes = Arrays.copyOf(sizes, n * 2);
                }
                sizes[n++] = user[0];
                for (int f = 0; f < byField.length; f++) {
                    byField[f] += user[f + 1];
                }
            }
        }
        if (n == 0) {
            throw new IllegalStateException("the savepoint " + savepoint + " holds no user state");
        }
        int[] sorted = Arrays.copyOf(sizes, n);
        Arrays.sort(sorted);
        long total = 0;
        for (int s : sorted) {
            total += s;
        }
        Map<String, Double> means = new LinkedHashMap<>();
        Integer[] order = new Integer[fields.size()];
        for (int f = 0; f < order.length; f++) {
            order[f] = f;
        }
        Arrays.sort(order, (a, b) -> Long.compare(byField[b], byField[a]));
        for (int f : order) {
            means.put(fields.get(f).name(), byField[f] / (double) n);
        }
        return new StateSizes(n, total / (double) n, sorted[(n - 1) / 2], sorted[(int) Math.ceil(0.99 * n) - 1],
                sorted[n - 1], means);
    }

    /** Emits, for each user, the encoded size of the state and then of each of its top-level fields. */
    static final class SizeReader extends KeyedStateReaderFunction<String, int[]> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<UserState> state;
        private transient List<GenericDatumWriter<Object>> writers;
        private transient ByteArrayOutputStream buffer;
        private transient BinaryEncoder encoder;

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(UserScoringOperator.stateDescriptor());
            writers = new ArrayList<>();
            for (Schema.Field f : UserState.getClassSchema().getFields()) {
                writers.add(new SpecificDatumWriter<>(f.schema(), SpecificData.getForClass(UserState.class)));
            }
            buffer = new ByteArrayOutputStream();
        }

        @Override
        public void readKey(String key, Context ctx, Collector<int[]> out) throws Exception {
            UserState s = state.value();
            if (s == null) {
                return;
            }
            int[] sizes = new int[writers.size() + 1];
            // A record's binary encoding is its fields' encodings one after the other, as the state backend
            // stores them (the schemas/state schema with its enums; not the wire encoding of the topics).
            for (int f = 0; f < writers.size(); f++) {
                buffer.reset();
                encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
                writers.get(f).write(s.get(f), encoder);
                encoder.flush();
                sizes[f + 1] = buffer.size();
                sizes[0] += buffer.size();
            }
            out.collect(sizes);
        }
    }
}
