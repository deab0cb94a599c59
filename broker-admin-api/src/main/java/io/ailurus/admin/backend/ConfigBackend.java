package io.ailurus.admin.backend;

import java.util.List;
import java.util.Map;

/** Cluster-wide and node-local configuration. */
public interface ConfigBackend {

    /**
     * Current cluster configuration, property name to value (values are JSON-representable:
     * strings, numbers, booleans, lists, maps or null). With {@code includeDefaults == false},
     * only properties that differ from their defaults.
     */
    Map<String, Object> clusterConfig(boolean includeDefaults);

    /**
     * Validates and (unless {@link ClusterConfigPatch#dryRun()}) applies a patch, returning the
     * new configuration version. Throws {@link ConfigValidationException} naming each bad
     * property; nothing is applied if any property is bad.
     */
    long applyClusterConfig(ClusterConfigPatch patch);

    /** Property name to its schema, for every cluster property this node knows. */
    Map<String, ConfigPropertySchema> clusterConfigSchema();

    /** Per-node configuration status (which version each node has applied). */
    List<ConfigNodeStatus> clusterConfigStatus();

    /** This node's own configuration ({@code redpanda.yaml}-style node properties). */
    Map<String, Object> nodeConfig();
}
