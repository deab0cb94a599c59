package io.ailurus.admin.backend;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * One broker as {@code GET /v1/brokers} shows it. Field names become the JSON keys in snake_case
 * ({@code node_id}, {@code num_cores}, {@code is_alive}...), matching Redpanda's {@code broker}
 * model.
 *
 * @param rack null when the broker has no rack
 * @param diskSpace one entry per data directory; may be empty when unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BrokerView(
        int nodeId,
        int numCores,
        String rack,
        String internalRpcAddress,
        int internalRpcPort,
        MembershipStatus membershipStatus,
        boolean isAlive,
        List<DiskSpace> diskSpace,
        String version) {

    public BrokerView {
        Objects.requireNonNull(internalRpcAddress, "internalRpcAddress");
        Objects.requireNonNull(membershipStatus, "membershipStatus");
        diskSpace = List.copyOf(diskSpace);
        Objects.requireNonNull(version, "version");
    }

    /** Space on one data directory, in bytes. */
    public record DiskSpace(String path, long free, long total) {
    }
}
