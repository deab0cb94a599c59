package io.ailurus.storage;

/**
 * What a log entry holds. Only {@link #DATA} entries carry Kafka records and take Kafka offsets;
 * the other kinds belong to the Raft layer and are skipped by Kafka reads.
 */
public enum EntryType {
    /** Exactly one Kafka record batch (magic v2) whose base offset is already stamped. */
    DATA(1),
    /** A Raft configuration (membership) entry; opaque payload. */
    RAFT_CONFIGURATION(2),
    /** A Raft no-op entry (a new leader's first entry); opaque payload. */
    NO_OP(3);

    private final byte code;

    EntryType(int code) {
        this.code = (byte) code;
    }

    /** The byte stored in the on-disk entry header. Never 0, so a zero-filled area never decodes as an entry. */
    public byte code() {
        return code;
    }

    /** The type for an on-disk code, or null when the code is not one we wrote. */
    public static EntryType fromCode(int code) {
        return switch (code) {
            case 1 -> DATA;
            case 2 -> RAFT_CONFIGURATION;
            case 3 -> NO_OP;
            default -> null;
        };
    }
}
