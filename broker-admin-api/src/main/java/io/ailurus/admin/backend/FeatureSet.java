package io.ailurus.admin.backend;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * {@code GET /v1/features}: the cluster's logical version and each feature's state, as in
 * Redpanda's {@code features_response}.
 */
public record FeatureSet(long clusterVersion, List<Feature> features) {

    public FeatureSet {
        features = List.copyOf(features);
    }

    /** One feature; {@code wasActive} says data depending on it may already be on disk. */
    public record Feature(String name, State state, boolean wasActive) {
    }

    /** Feature states with Redpanda's spelling. */
    public enum State {
        ACTIVE, PREPARING, AVAILABLE, UNAVAILABLE, DISABLED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
