package io.ailurus.protocol.records;

/**
 * A contiguous run of record-batch bytes that a Fetch response sends as-is: either a region of a
 * segment file ({@link FileSlice}, sent with sendfile) or bytes already in memory ({@link BufferSlice},
 * e.g. from the hot-tail batch cache).
 */
public sealed interface RecordSlice permits FileSlice, BufferSlice {
    /** Number of bytes this slice contributes to the response. */
    int length();

    /**
     * Gives back what the slice holds (the buffer reference, or the file owner's hold) when the response
     * is not going to be sent after all. Called at most once, and never for a slice that the encoder
     * has handed to Netty (Netty releases those after the write).
     */
    void release();
}
