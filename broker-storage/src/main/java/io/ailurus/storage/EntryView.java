package io.ailurus.storage;

/** What a reader needs to know about an entry, wherever it is (tail cache or segment file). */
interface EntryView {
    long index();

    long term();

    EntryType type();

    /** Base offset of a data entry's batch, -1 otherwise. */
    long baseOffset();

    /** Last offset of a data entry's batch, -1 otherwise. */
    long lastOffset();

    /** Max timestamp of a data entry's batch, -1 otherwise. */
    long maxTimestamp();

    /** Payload size in bytes. */
    int size();
}
