package io.ailurus.core.admin;

import io.ailurus.admin.backend.FeatureSet;
import io.ailurus.admin.backend.FeatureSet.Feature;
import io.ailurus.admin.backend.FeatureSet.State;
import java.util.List;

/**
 * {@code GET /v1/features}: what this build can do, with Redpanda's feature names where one
 * exists. Features the build lacks are listed as {@code unavailable} so operators can tell "not
 * built yet" from "not enabled".
 */
final class BrokerFeatures {
    /** Logical version of the cluster's on-disk and wire formats; bumped when a feature needs all nodes upgraded. */
    static final long CLUSTER_VERSION = 1;

    private BrokerFeatures() {}

    static FeatureSet current() {
        return new FeatureSet(CLUSTER_VERSION, List.of(
            new Feature("idempotent_producer", State.ACTIVE, true),
            new Feature("consumer_offsets", State.ACTIVE, true),
            new Feature("kafka_fetch_sessions", State.ACTIVE, true),
            new Feature("central_config", State.ACTIVE, true),
            new Feature("replicated_partitions", State.UNAVAILABLE, false),
            new Feature("transactions", State.ACTIVE, true)));
    }
}
