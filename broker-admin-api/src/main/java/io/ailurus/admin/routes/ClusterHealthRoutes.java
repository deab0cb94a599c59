package io.ailurus.admin.routes;

import io.ailurus.admin.backend.ClusterBackend;
import io.ailurus.admin.http.AdminResponse;
import io.ailurus.admin.http.Router;

/** {@code GET /v1/cluster/health_overview}. */
public final class ClusterHealthRoutes {

    private final ClusterBackend cluster;

    public ClusterHealthRoutes(ClusterBackend cluster) {
        this.cluster = cluster;
    }

    public void register(Router router) {
        router.get("/v1/cluster/health_overview", req -> AdminResponse.ok(HealthOverview.of(cluster.healthFacts())));
    }
}
