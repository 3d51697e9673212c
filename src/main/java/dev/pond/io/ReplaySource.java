package dev.pond.io;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReader;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A bounded source over replay files: one split, read by one reader, that emits the files' events
 * merged by event time ({@link MergedEventFiles}). Its checkpoint is the number of events emitted.
 */
public final class ReplaySource implements Source<Inbound, ReplaySource.Split, Collection<ReplaySource.Split>> {

    private static final long serialVersionUID = 1L;

    private final List<MergedEventFiles.Input> inputs;
    private final long now;

    /** @param now wall-clock time the events are validated at */
    public ReplaySource(List<MergedEventFiles.Input> inputs, long now) {
        this.inputs = List.copyOf(inputs);
        this.now = now;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<Inbound, Split> createReader(SourceReaderContext context) {
        return new IteratorSourceReader<>(context) {
            @Override
            public void close() {
                if (iterator != null) {
                    iterator.close();
                }
            }
        };
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> createEnumerator(SplitEnumeratorContext<Split> context) {
        return new IteratorSourceEnumerator<>(context, List.of(new Split(inputs, 0, now)));
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> restoreEnumerator(
            SplitEnumeratorContext<Split> context, Collection<Split> checkpoint) {
        return new IteratorSourceEnumerator<>(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<Split>> getEnumeratorCheckpointSerializer() {
        return new SimpleVersionedSerializer<>() {
            private final SplitSerializer splits = new SplitSerializer();

            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Collection<Split> value) throws IOException {
                DataOutputSerializer out = new DataOutputSerializer(256);
                out.writeInt(value.size());
                for (Split s : value) {
                    byte[] bytes = splits.serialize(s);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
                return out.getCopyOfBuffer();
            }

            @Override
            public Collection<Split> deserialize(int version, byte[] serialized) throws IOException {
                DataInputDeserializer in = new DataInputDeserializer(serialized);
                int n = in.readInt();
                List<Split> result = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    result.add(splits.deserialize(version, bytes));
                }
                return result;
            }
        };
    }

    /** The whole replay as one split: the files and how many events were already emitted. */
    public static final class Split implements IteratorSourceSplit<Inbound, MergedEventFiles> {
        private final List<MergedEventFiles.Input> inputs;
        private final long position;
        private final long now;

        Split(List<MergedEventFiles.Input> inputs, long position, long now) {
            this.inputs = inputs;
            this.position = position;
            this.now = now;
        }

        @Override
        public String splitId() {
            return "replay";
        }

        @Override
        public MergedEventFiles getIterator() {
            return new MergedEventFiles(inputs, position, now);
        }

        @Override
        public IteratorSourceSplit<Inbound, MergedEventFiles> getUpdatedSplitForIterator(MergedEventFiles iterator) {
            return new Split(inputs, iterator.emitted(), now);
        }
    }

    private static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Split split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeLong(split.position);
            out.writeLong(split.now);
            out.writeInt(split.inputs.size());
            for (MergedEventFiles.Input input : split.inputs) {
                out.writeUTF(input.kind().name());
                out.writeUTF(input.path());
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public Split deserialize(int version, byte[] serialized) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            long position = in.readLong();
            long now = in.readLong();
            int n = in.readInt();
            List<MergedEventFiles.Input> inputs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                inputs.add(new MergedEventFiles.Input(EventKind.valueOf(in.readUTF()), in.readUTF()));
            }
            return new Split(inputs, position, now);
        }
    }
}
