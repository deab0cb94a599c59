package io.ailurus.core.txn;

import io.ailurus.core.config.ClusterConfig;
import io.ailurus.core.config.ClusterConfigKeys;

/**
 * The transaction coordinator's settings, read from the cluster properties in force at each decision
 * (run-time changes apply without a restart).
 *
 * @param maxTimeoutMs largest transaction timeout a producer may ask for
 * @param idExpirationMs idle time after which a transactional id is forgotten
 * @param sweepIntervalMs how often timeouts, unfinished prepares and expiry are looked for
 */
public record TransactionSettings(int maxTimeoutMs, long idExpirationMs, long sweepIntervalMs) {

    public static TransactionSettings from(ClusterConfig c) {
        return new TransactionSettings(c.get(ClusterConfigKeys.TRANSACTION_MAX_TIMEOUT_MS),
            c.get(ClusterConfigKeys.TRANSACTIONAL_ID_EXPIRATION_MS), c.get(ClusterConfigKeys.TX_TIMEOUT_DELAY_MS));
    }
}
