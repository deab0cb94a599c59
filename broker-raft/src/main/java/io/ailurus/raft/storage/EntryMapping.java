package io.ailurus.raft.storage;

import java.nio.ByteBuffer;

import com.alipay.sofa.jraft.entity.EnumOutter;
import com.alipay.sofa.jraft.entity.LogId;
import com.alipay.sofa.jraft.entity.codec.LogEntryDecoder;
import com.alipay.sofa.jraft.entity.codec.LogEntryEncoder;

import io.ailurus.storage.EntryType;
import io.ailurus.storage.LogEntry;

/**
 * Converts entries between jraft and broker-storage.
 *
 * <ul>
 * <li>jraft {@code DATA} &harr; storage {@code DATA}: the payload is jraft's data, i.e. the Kafka
 * record batch the leader stamped; nothing is wrapped around it, so Kafka reads serve the same
 * bytes Raft replicated.</li>
 * <li>jraft {@code CONFIGURATION} &harr; storage {@code RAFT_CONFIGURATION}: the payload is jraft's
 * own V2 encoding of the whole entry (peers, learners, old peers and learners).</li>
 * <li>jraft {@code NO_OP} &harr; storage {@code NO_OP}: empty payload.</li>
 * </ul>
 */
final class EntryMapping {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final LogEntryEncoder encoder;
    private final LogEntryDecoder decoder;

    EntryMapping(LogEntryEncoder encoder, LogEntryDecoder decoder) {
        this.encoder = encoder;
        this.decoder = decoder;
    }

    /** jraft's entry as a storage entry (the DATA payload is shared, not copied). */
    LogEntry toStorage(com.alipay.sofa.jraft.entity.LogEntry entry) {
        long index = entry.getId().getIndex();
        long term = entry.getId().getTerm();
        return switch (entry.getType()) {
            case ENTRY_TYPE_DATA -> {
                ByteBuffer data = entry.getData();
                yield new LogEntry(index, term, EntryType.DATA, data == null ? EMPTY : data.slice());
            }
            case ENTRY_TYPE_CONFIGURATION -> new LogEntry(index, term, EntryType.RAFT_CONFIGURATION,
                    ByteBuffer.wrap(encoder.encode(entry)));
            case ENTRY_TYPE_NO_OP -> new LogEntry(index, term, EntryType.NO_OP, EMPTY);
            default -> throw new IllegalArgumentException("jraft entry " + index + " has unknown type "
                    + entry.getType());
        };
    }

    /**
     * A storage entry as jraft's.
     *
     * @throws IllegalStateException when a configuration payload does not decode (corruption)
     */
    com.alipay.sofa.jraft.entity.LogEntry toJraft(LogEntry entry) {
        return switch (entry.type()) {
            case DATA -> {
                com.alipay.sofa.jraft.entity.LogEntry e =
                        new com.alipay.sofa.jraft.entity.LogEntry(EnumOutter.EntryType.ENTRY_TYPE_DATA);
                e.setId(new LogId(entry.index(), entry.term()));
                e.setData(entry.payload().slice());
                yield e;
            }
            case RAFT_CONFIGURATION -> {
                ByteBuffer payload = entry.payload().duplicate();
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                com.alipay.sofa.jraft.entity.LogEntry e = decoder.decode(bytes);
                if (e == null || e.getType() != EnumOutter.EntryType.ENTRY_TYPE_CONFIGURATION) {
                    throw new IllegalStateException("configuration entry " + entry.index() + " does not decode");
                }
                // The log's index and term are authoritative (they are what the log was checked against).
                e.setId(new LogId(entry.index(), entry.term()));
                yield e;
            }
            case NO_OP -> {
                com.alipay.sofa.jraft.entity.LogEntry e =
                        new com.alipay.sofa.jraft.entity.LogEntry(EnumOutter.EntryType.ENTRY_TYPE_NO_OP);
                e.setId(new LogId(entry.index(), entry.term()));
                yield e;
            }
        };
    }
}
