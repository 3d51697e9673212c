package dev.pond.segments;

import dev.pond.io.AvroCodec;
import dev.pond.job.Topics;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.Trigger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;

/** A view that follows the segment counts, alerts and triggers of the output topics (watch, dashboard). */
public interface OutputView {

    void add(SegmentCount count);

    void add(SegmentAlert alert);

    void add(Trigger trigger);

    /** Decodes a record of one of the three topics and hands it to the view. */
    final class Decoder {
        private final Topics topics;
        private final AvroCodec<SegmentCount> counts = new AvroCodec<>(SegmentCount.class);
        private final AvroCodec<SegmentAlert> alerts = new AvroCodec<>(SegmentAlert.class);
        private final AvroCodec<Trigger> triggers = new AvroCodec<>(Trigger.class);

        public Decoder(Topics topics) {
            this.topics = topics;
        }

        public void add(OutputView view, ConsumerRecord<byte[], byte[]> r) throws IOException {
            if (r.topic().equals(topics.segments())) {
                view.add(counts.decode(r.value()));
            } else if (r.topic().equals(topics.alerts())) {
                view.add(alerts.decode(r.value()));
            } else {
                view.add(triggers.decode(r.value()));
            }
        }
    }
}
