package io.ailurus.admin.backend;

/** Cluster feature flags. */
public interface FeatureBackend {

    /** The cluster's logical version and the state of each feature. */
    FeatureSet features();
}
