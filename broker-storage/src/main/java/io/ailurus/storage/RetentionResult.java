package io.ailurus.storage;

/** What a retention pass deleted from one log (or from all logs of a manager). */
public record RetentionResult(int segmentsDeleted, long bytesDeleted) {
    public static final RetentionResult NONE = new RetentionResult(0, 0);

    public RetentionResult plus(RetentionResult other) {
        return new RetentionResult(segmentsDeleted + other.segmentsDeleted, bytesDeleted + other.bytesDeleted);
    }
}
