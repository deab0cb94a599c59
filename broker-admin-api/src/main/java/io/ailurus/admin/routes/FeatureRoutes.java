package io.ailurus.admin.routes;

import io.ailurus.admin.backend.FeatureBackend;
import io.ailurus.admin.http.AdminResponse;
import io.ailurus.admin.http.Router;

/** {@code GET /v1/features}. */
public final class FeatureRoutes {

    private final FeatureBackend features;

    public FeatureRoutes(FeatureBackend features) {
        this.features = features;
    }

    public void register(Router router) {
        router.get("/v1/features", req -> AdminResponse.ok(features.features()));
    }
}
