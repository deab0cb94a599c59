package io.ailurus.admin.routes;

import io.ailurus.admin.backend.AdminApiException;
import io.ailurus.admin.backend.ClusterBackend;
import io.ailurus.admin.http.AdminResponse;
import io.ailurus.admin.http.Router;
import java.util.Comparator;

/** {@code /v1/brokers}, one broker, and decommission/recommission. */
public final class BrokerRoutes {

    private final ClusterBackend cluster;

    public BrokerRoutes(ClusterBackend cluster) {
        this.cluster = cluster;
    }

    public void register(Router router) {
        router.get("/v1/brokers", req -> AdminResponse.ok(cluster.brokers().stream()
                .sorted(Comparator.comparingInt(b -> b.nodeId())).toList()));
        router.get("/v1/brokers/{id}", req -> {
            int id = req.pathInt("id");
            return AdminResponse.ok(cluster.broker(id)
                    .orElseThrow(() -> AdminApiException.notFound("Broker " + id + " not found")));
        });
        router.get("/v1/brokers/{id}/decommission",
                req -> AdminResponse.ok(cluster.decommissionStatus(req.pathInt("id"))));
        router.put("/v1/brokers/{id}/decommission", req -> {
            cluster.decommission(req.pathInt("id"));
            return AdminResponse.empty();
        });
        router.put("/v1/brokers/{id}/recommission", req -> {
            cluster.recommission(req.pathInt("id"));
            return AdminResponse.empty();
        });
    }
}
