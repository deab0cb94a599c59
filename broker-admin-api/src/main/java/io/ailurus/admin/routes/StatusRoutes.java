package io.ailurus.admin.routes;

import io.ailurus.admin.backend.ClusterBackend;
import io.ailurus.admin.http.AdminResponse;
import io.ailurus.admin.http.Router;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * {@code GET /v1/status/ready}: the health check for load balancers and orchestrators. Redpanda
 * says {@code booting} before it serves Kafka; we also answer 503 then, so a plain HTTP probe
 * that only looks at the status code does the right thing.
 */
public final class StatusRoutes {

    private final ClusterBackend cluster;

    public StatusRoutes(ClusterBackend cluster) {
        this.cluster = cluster;
    }

    public void register(Router router) {
        router.get("/v1/status/ready", req -> cluster.isReady()
                ? AdminResponse.ok(Map.of("status", "ready"))
                : AdminResponse.json(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("status", "booting")));
    }
}
