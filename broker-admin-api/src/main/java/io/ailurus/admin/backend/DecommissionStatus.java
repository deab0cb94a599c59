package io.ailurus.admin.backend;

import java.util.List;

/**
 * {@code GET /v1/brokers/{id}/decommission}: how far draining a broker has got (Redpanda's
 * {@code decommission_status}, without the per-partition move details).
 *
 * @param finished every replica has left the broker
 * @param replicasLeft replicas still on the broker
 * @param allocationFailures partitions ({@code ns/topic/partition}) that found no other home
 */
public record DecommissionStatus(boolean finished, long replicasLeft, List<String> allocationFailures) {

    public DecommissionStatus {
        allocationFailures = List.copyOf(allocationFailures);
    }
}
