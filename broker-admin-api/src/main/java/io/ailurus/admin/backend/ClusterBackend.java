package io.ailurus.admin.backend;

import java.util.List;
import java.util.Optional;

/** Cluster membership and health as the broker sees it. */
public interface ClusterBackend {

    /** This broker's node id. */
    int nodeId();

    /** True once this broker serves the Kafka API (drives {@code /v1/status/ready}). */
    boolean isReady();

    /** Every broker registered in the cluster, including decommissioned ones still known. */
    List<BrokerView> brokers();

    /** One broker, or empty if the id is unknown. The default scans {@link #brokers()}. */
    default Optional<BrokerView> broker(int nodeId) {
        return brokers().stream().filter(b -> b.nodeId() == nodeId).findFirst();
    }

    /** Raw facts the health overview is computed from. */
    HealthFacts healthFacts();

    /**
     * Starts draining a broker's replicas elsewhere. Throws {@link AdminApiException#notFound} for
     * an unknown id and {@link AdminApiException#badRequest} when the cluster cannot lose it.
     */
    void decommission(int nodeId);

    /** Cancels a decommission in progress. Same errors as {@link #decommission(int)}. */
    void recommission(int nodeId);

    /**
     * Progress of a decommission. Throws {@link AdminApiException#notFound} for an unknown id and
     * {@link AdminApiException#badRequest} for a broker that is not being decommissioned. The
     * default answers 501 so a backend can leave it out.
     */
    default DecommissionStatus decommissionStatus(int nodeId) {
        throw new AdminApiException(501, "Decommission progress is not available from this broker");
    }
}
