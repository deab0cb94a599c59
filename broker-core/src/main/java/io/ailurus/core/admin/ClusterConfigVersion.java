package io.ailurus.core.admin;

import io.ailurus.core.metadata.MetadataImage;
import java.util.Map;

/**
 * The cluster configuration version the admin API reports ({@code config_version}): the controller
 * log index of the image in which the run-time cluster properties last changed. It only grows, so
 * {@code PUT /v1/cluster_config}'s answer can be compared with {@code /v1/cluster_config/status}.
 *
 * <p>Fed every metadata image on the controller's apply thread. After a restart from a snapshot
 * the first image's index stands in for the (possibly earlier) index of the last change: still
 * monotonic, which is all a client may rely on.
 */
public final class ClusterConfigVersion {
    private Map<String, String> seen;
    private volatile long version;

    /** Called with each new image, in log order. */
    public synchronized void observe(MetadataImage image) {
        if (seen == null || !seen.equals(image.clusterConfig())) {
            seen = image.clusterConfig();
            version = Math.max(version, image.appliedIndex());
        }
    }

    public long current() {
        return version;
    }
}
