package dev.pond.demo;

import org.apache.avro.specific.SpecificRecord;

/** Where generated events go: JSON Lines files or Kafka topics. */
public interface EventSink extends AutoCloseable {

    /** Writes one ClickEvent, ArticleRead or OrderEvent. */
    void write(SpecificRecord event) throws Exception;

    @Override
    void close() throws Exception;
}
