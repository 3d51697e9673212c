package dev.pond.bench;

import dev.pond.io.AvroCodec;
import dev.pond.job.FlinkConfig;
import dev.pond.job.PondJob;
import dev.pond.scoring.UserScoringFunction;
import dev.pond.state.UserState;
import org.apache.flink.api.common.RuntimeExecutionMode;
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

import java.nio.file.Path;
import java.util.Arrays;

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
 */
record StateSizes(long users, double meanBytes, int medianBytes, int p99Bytes, int maxBytes) {

    static StateSizes read(String savepoint, Path work) throws Exception {
        Configuration conf = FlinkConfig.local(work.resolve("flink-state-sizes"));
        conf.setString("parallelism.default", "1");
        // The reader is a batch job of the State Processor API, whose own source has no uid; nothing restores it.
        conf.setString("pipeline.auto-generate-uids", "true");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        SavepointReader reader = SavepointReader.read(env, savepoint, new HashMapStateBackend());
        int[] sizes = new int[1024];
        int n = 0;
        try (CloseableIterator<Integer> it = reader.readKeyedState(
                OperatorIdentifier.forUid(PondJob.UID_SCORING), new SizeReader()).executeAndCollect("bench state sizes")) {
            while (it.hasNext()) {
                if (n == sizes.length) {
                    sizes = Arrays.copyOf(sizes, n * 2);
                }
                sizes[n++] = it.next();
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
        return new StateSizes(n, total / (double) n, sorted[(n - 1) / 2], sorted[(int) Math.ceil(0.99 * n) - 1],
                sorted[n - 1]);
    }

    /** Emits the encoded size of each user's state. */
    static final class SizeReader extends KeyedStateReaderFunction<String, Integer> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<UserState> state;
        private transient AvroCodec<UserState> codec;

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(UserScoringFunction.stateDescriptor());
            codec = new AvroCodec<>(UserState.class);
        }

        @Override
        public void readKey(String key, Context ctx, Collector<Integer> out) throws Exception {
            UserState s = state.value();
            if (s != null) {
                out.collect(codec.encode(s).length);
            }
        }
    }
}
