package io.ailurus.admin.routes;

import io.ailurus.admin.backend.AdminApiException;
import io.ailurus.admin.backend.ClusterBackend;
import io.ailurus.admin.backend.PartitionBackend;
import io.ailurus.admin.backend.PartitionId;
import io.ailurus.admin.backend.PartitionView;
import io.ailurus.admin.http.AdminRequest;
import io.ailurus.admin.http.AdminResponse;
import io.ailurus.admin.http.Router;
import java.util.Comparator;
import java.util.List;

/** {@code /v1/partitions}: this node's partitions, one partition's detail, leadership transfer. */
public final class PartitionRoutes {

    private final ClusterBackend cluster;
    private final PartitionBackend partitions;

    public PartitionRoutes(ClusterBackend cluster, PartitionBackend partitions) {
        this.cluster = cluster;
        this.partitions = partitions;
    }

    /**
     * An entry of {@code GET /v1/partitions} (Redpanda's {@code partition_summary}), plus the
     * leader so a script can count leaders without a call per partition.
     *
     * @param core the shard owning the replica on this node
     */
    public record PartitionSummary(String ns, String topic, int partitionId, int core, boolean materialized, int leaderId) {
    }

    public void register(Router router) {
        router.get("/v1/partitions", req -> {
            int self = cluster.nodeId();
            List<PartitionSummary> out = partitions.partitions().stream()
                    .sorted(Comparator.comparing(PartitionView::ns).thenComparing(PartitionView::topic)
                            .thenComparingInt(PartitionView::partitionId))
                    .map(p -> summary(p, self))
                    .toList();
            return AdminResponse.ok(out);
        });
        router.get("/v1/partitions/{namespace}/{topic}/{partition}", req -> {
            PartitionId id = id(req);
            return AdminResponse.ok(partitions.partition(id).orElseThrow(() -> notFound(id)));
        });
        router.post("/v1/partitions/{namespace}/{topic}/{partition}/transfer_leadership", req -> {
            PartitionId id = id(req);
            var target = req.queryInt("target");
            if (target.isPresent() && target.getAsInt() < 0) {
                throw AdminApiException.badRequest("Invalid target " + target.getAsInt() + ": expected a node id");
            }
            // Answer 404 for an unknown partition here so every backend behaves the same.
            partitions.partition(id).orElseThrow(() -> notFound(id));
            partitions.transferLeadership(id, target);
            return AdminResponse.empty();
        });
    }

    private static PartitionSummary summary(PartitionView p, int self) {
        int core = p.replicas().stream().filter(r -> r.nodeId() == self)
                .mapToInt(PartitionView.ReplicaAssignment::core).findFirst().orElse(-1);
        return new PartitionSummary(p.ns(), p.topic(), p.partitionId(), core, core >= 0, p.leaderId());
    }

    private static PartitionId id(AdminRequest req) {
        return new PartitionId(req.pathParam("namespace"), req.pathParam("topic"), req.pathInt("partition"));
    }

    private static AdminApiException notFound(PartitionId id) {
        return AdminApiException.notFound("Partition " + id + " not found");
    }
}
