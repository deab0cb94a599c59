package io.ailurus.core.fetch;

import io.ailurus.protocol.records.BufferSlice;
import io.ailurus.protocol.records.FileSlice;
import io.ailurus.protocol.records.RecordSlice;
import io.ailurus.protocol.records.SlicedRecords;
import io.ailurus.storage.ReadResult;
import io.ailurus.storage.ReadSlice;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands what the log read to the protocol layer without copying: file regions stay file regions
 * (sendfile from the page cache), tail-cache buffers are wrapped, not copied.
 */
public final class FetchRecords {
    private FetchRecords() {}

    public static SlicedRecords of(ReadResult read) {
        List<RecordSlice> slices = new ArrayList<>(read.slices().size());
        for (ReadSlice s : read.slices()) {
            slices.add(switch (s) {
                // The log keeps the channel open past segment deletion for in-flight sends: nothing to release.
                case ReadSlice.FileSlice f -> new FileSlice(f.channel(), f.position(), f.length());
                case ReadSlice.BufferSlice b -> BufferSlice.of(b.buffer());
            });
        }
        return new SlicedRecords(slices);
    }
}
