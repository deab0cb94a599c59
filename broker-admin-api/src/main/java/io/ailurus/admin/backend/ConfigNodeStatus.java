package io.ailurus.admin.backend;

import java.util.List;

/**
 * One node's entry in {@code GET /v1/cluster_config/status}.
 *
 * @param restart a restart is needed to apply some pending property
 * @param configVersion the configuration version the node has applied
 * @param invalid properties whose stored value the node rejects
 * @param unknown properties the node does not know
 */
public record ConfigNodeStatus(int nodeId, boolean restart, long configVersion, List<String> invalid, List<String> unknown) {

    public ConfigNodeStatus {
        invalid = List.copyOf(invalid);
        unknown = List.copyOf(unknown);
    }
}
