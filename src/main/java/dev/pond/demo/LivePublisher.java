package dev.pond.demo;

import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays generated events into Kafka on a simulated clock: history runs {@code speed} times faster
 * than real time until it catches up with the wall clock, then events flow in real time. Event
 * time never runs ahead of the wall clock (Pond refuses events from the future).
 */
public final class LivePublisher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LivePublisher.class);

    private final Generator generator;
    private final KafkaEventSink sink;
    private final double speed;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong eventTime = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean stopped;

    /** @param speed simulated milliseconds per real millisecond while catching up */
    public LivePublisher(Generator generator, KafkaEventSink sink, double speed) {
        this.generator = generator;
        this.sink = sink;
        this.speed = speed;
    }

    public long published() {
        return published.get();
    }

    /** Event time of the latest published event. */
    public long eventTime() {
        return eventTime.get();
    }

    public void stop() {
        stopped = true;
    }

    /** Closes the producer; call after the publishing thread ended. */
    public void close() {
        sink.close();
    }

    @Override
    public void run() {
        long simStart = generator.peekTime();
        long wallStart = System.currentTimeMillis();
        try {
            while (!stopped && generator.hasNext()) {
                long ts = generator.peekTime();
                long due = Math.max(wallStart + (long) ((ts - simStart) / speed), ts);
                if (!waitUntil(due)) {
                    break;
                }
                SpecificRecord event = generator.next();
                sink.write(event);
                published.incrementAndGet();
                eventTime.set(ts);
            }
            sink.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("publishing events failed", e);
        }
    }

    /** Waits until wall-clock time {@code due}; false if stopped meanwhile. */
    private boolean waitUntil(long due) throws InterruptedException {
        long wait;
        while ((wait = due - System.currentTimeMillis()) > 0) {
            if (stopped) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(wait, 100));
        }
        return !stopped;
    }
}
