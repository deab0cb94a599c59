package io.ailurus.core.txn;

import org.apache.kafka.common.protocol.Errors;

/**
 * KIP-588 added PRODUCER_FENCED to the transactional APIs; clients that asked with an older version
 * know only INVALID_PRODUCER_EPOCH for the same condition.
 */
public final class TxnErrors {
    private TxnErrors() {}

    /**
     * {@code error} as a client speaking {@code version} understands it, where
     * {@code firstFencedVersion} is the API's first version with PRODUCER_FENCED.
     */
    public static Errors forVersion(Errors error, short version, int firstFencedVersion) {
        if (error == Errors.PRODUCER_FENCED && version < firstFencedVersion) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        return error;
    }
}
