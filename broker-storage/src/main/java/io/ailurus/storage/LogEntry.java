package io.ailurus.storage;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One entry of a partition log: a Raft index and term, a type and the payload bytes
 * (for {@link EntryType#DATA}, one Kafka record batch v2). The payload's position..limit are the bytes.
 */
public record LogEntry(long index, long term, EntryType type, ByteBuffer payload) {
    public LogEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }

    /** A data entry holding one Kafka record batch. */
    public static LogEntry data(long index, long term, ByteBuffer batch) {
        return new LogEntry(index, term, EntryType.DATA, batch);
    }

    /** The number of payload bytes. */
    public int size() {
        return payload.remaining();
    }
}
