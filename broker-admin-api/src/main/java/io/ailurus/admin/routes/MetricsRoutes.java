package io.ailurus.admin.routes;

import io.ailurus.admin.http.AdminResponse;
import io.ailurus.admin.http.Router;
import io.ailurus.admin.metrics.AdminMetrics;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code GET /metrics} (internal detail, JVM) and {@code GET /public_metrics} (stable names). */
public final class MetricsRoutes {

    /** Prometheus text exposition format 0.0.4, what every Prometheus version scrapes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final AdminMetrics metrics;

    public MetricsRoutes(AdminMetrics metrics) {
        this.metrics = metrics;
    }

    public void register(Router router) {
        router.get("/metrics", req -> AdminResponse.text(HttpResponseStatus.OK, CONTENT_TYPE, metrics.scrapeInternal()));
        router.get("/public_metrics", req -> AdminResponse.text(HttpResponseStatus.OK, CONTENT_TYPE, metrics.scrapePublic()));
    }
}
