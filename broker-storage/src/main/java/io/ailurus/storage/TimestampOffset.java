package io.ailurus.storage;

/**
 * A timestamp lookup result: the base offset of the batch found and that batch's max timestamp.
 * {@link #NONE} (offset -1, timestamp -1) when nothing matches.
 */
public record TimestampOffset(long offset, long timestamp) {
    public static final TimestampOffset NONE = new TimestampOffset(-1, -1);

    public boolean found() {
        return offset >= 0;
    }
}
