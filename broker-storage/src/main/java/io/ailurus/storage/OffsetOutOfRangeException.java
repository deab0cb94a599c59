package io.ailurus.storage;

/** A Kafka read asked for an offset outside [logStartOffset, logEndOffset]. Carries both bounds for the error response. */
public final class OffsetOutOfRangeException extends StorageException {
    private final long requestedOffset;
    private final long logStartOffset;
    private final long logEndOffset;

    public OffsetOutOfRangeException(String logName, long requestedOffset, long logStartOffset, long logEndOffset) {
        super("offset " + requestedOffset + " is out of range for log " + logName
                + " (log start offset " + logStartOffset + ", log end offset " + logEndOffset + ")");
        this.requestedOffset = requestedOffset;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    public long requestedOffset() {
        return requestedOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
