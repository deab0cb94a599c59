package io.ailurus.admin.backend;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Partition placement and leadership. */
public interface PartitionBackend {

    /** Every partition with a replica on this node. */
    List<PartitionView> partitions();

    /** One partition anywhere in the cluster, or empty if it does not exist. */
    Optional<PartitionView> partition(PartitionId id);

    /**
     * Asks the partition's Raft group to move leadership to {@code target} (any other in-sync
     * replica when empty). Returns once the request has been handed to the group; the move
     * itself completes asynchronously, as in Redpanda. Throws {@link AdminApiException#notFound}
     * for an unknown partition and {@link AdminApiException#badRequest} for a target that is not
     * a replica.
     */
    void transferLeadership(PartitionId id, OptionalInt target);
}
