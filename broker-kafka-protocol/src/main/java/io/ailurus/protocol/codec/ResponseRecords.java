package io.ailurus.protocol.codec;

import io.ailurus.protocol.records.SlicedRecords;
import java.util.function.Consumer;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Finds the {@link SlicedRecords} inside a response body. Only Fetch responses carry them today; a
 * response that is dropped must release them or the segment holds they own would leak.
 */
public final class ResponseRecords {
    private ResponseRecords() {
    }

    /** Calls {@code action} for every {@link SlicedRecords} in {@code body}. */
    public static void forEachSliced(ApiMessage body, Consumer<SlicedRecords> action) {
        if (body instanceof FetchResponseData fetch) {
            for (FetchResponseData.FetchableTopicResponse topic : fetch.responses()) {
                for (FetchResponseData.PartitionData p : topic.partitions()) {
                    if (p.records() instanceof SlicedRecords sliced) {
                        action.accept(sliced);
                    }
                }
            }
        }
    }

    /** Bytes of {@code body} that are records passed by reference rather than copied. */
    public static long referencedBytes(ApiMessage body) {
        long[] sum = {0};
        forEachSliced(body, s -> sum[0] += s.sizeInBytes());
        return sum[0];
    }

    /** Releases every {@link SlicedRecords} in {@code body} not yet taken by an encoder. */
    public static void release(ApiMessage body) {
        if (body != null) {
            forEachSliced(body, SlicedRecords::release);
        }
    }
}
