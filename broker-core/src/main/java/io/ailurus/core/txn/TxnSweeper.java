package io.ailurus.core.txn;

import io.ailurus.core.kafka.ClusterView;
import io.ailurus.core.metadata.MetadataCommand;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction housekeeping one broker does for the whole cluster, the controller leader (so it
 * is done once, and resumes on the next leader after a failover):
 * <ul>
 *   <li>an ongoing transaction open longer than its timeout is aborted with a bumped epoch, so the
 *       producer that abandoned it is fenced and the partitions' last stable offset moves on;</li>
 *   <li>a prepared transaction nobody is completing (its coordinator stopped or lost the race) is
 *       completed here;</li>
 *   <li>an idle transactional id unused for {@code transactional_id_expiration_ms} is forgotten.</li>
 * </ul>
 */
public final class TxnSweeper {
    private static final Logger log = LoggerFactory.getLogger(TxnSweeper.class);

    private final ClusterView cluster;
    private final TransactionCoordinator coordinator;
    private final TxnCompleter completer;
    private final LongSupplier clock;

    public TxnSweeper(ClusterView cluster, TransactionCoordinator coordinator, TxnCompleter completer, LongSupplier clock) {
        this.cluster = cluster;
        this.coordinator = coordinator;
        this.completer = completer;
        this.clock = clock;
    }

    /** One pass; does nothing unless this broker leads the controller group. Returns the actions started. */
    public int sweep() {
        if (cluster.controllerId() != cluster.nodeId()) {
            return 0;
        }
        TransactionSettings settings = coordinator.settings();
        long now = clock.getAsLong();
        int started = 0;
        for (TransactionMetadata t : coordinator.store().all()) {
            if (t.state() == TxnState.ONGOING && t.startTimestamp() >= 0 && now - t.startTimestamp() > t.timeoutMs()) {
                coordinator.abortTimedOut(t);
                started++;
            } else if (t.state().isPreparing() && !completer.isCompleting(t.transactionalId())
                && now - t.lastUpdateTimestamp() >= settings.sweepIntervalMs()) {
                // Left alone for a whole interval: whoever prepared it is not finishing it.
                log.info("completing the prepared transaction of {} ({}) left unfinished", t.transactionalId(),
                    t.state().kafkaName());
                completer.complete(t);
                started++;
            } else if (t.state().isIdle() && now - t.lastUpdateTimestamp() > settings.idExpirationMs()) {
                log.info("transactional id {} expired (idle since {})", t.transactionalId(), t.lastUpdateTimestamp());
                cluster.submit(new MetadataCommand.DeleteTransaction(t.transactionalId(), t.version()));
                started++;
            }
        }
        return started;
    }
}
