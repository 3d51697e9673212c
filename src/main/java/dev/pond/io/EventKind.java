package dev.pond.io;

import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import org.apache.avro.specific.SpecificRecord;

/** The three input streams, each with its record class and validation. */
public enum EventKind {
    CLICK(ClickEvent.class),
    READ(ArticleRead.class),
    ORDER(OrderEvent.class);

    private final Class<? extends SpecificRecord> type;

    EventKind(Class<? extends SpecificRecord> type) {
        this.type = type;
    }

    public Class<? extends SpecificRecord> type() {
        return type;
    }

    /** Why the record is invalid at wall-clock time {@code now}, or null if it is valid. */
    public String validate(SpecificRecord record, long now) {
        return switch (this) {
            case CLICK -> EventValidator.check((ClickEvent) record, now);
            case READ -> EventValidator.check((ArticleRead) record, now);
            case ORDER -> EventValidator.check((OrderEvent) record, now);
        };
    }

    /** Wraps a valid record of this kind. */
    public Inbound wrap(SpecificRecord record) {
        return switch (this) {
            case CLICK -> Inbound.of((ClickEvent) record);
            case READ -> Inbound.of((ArticleRead) record);
            case ORDER -> Inbound.of((OrderEvent) record);
        };
    }
}
