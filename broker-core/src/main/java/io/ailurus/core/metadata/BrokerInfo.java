package io.ailurus.core.metadata;

/** A registered broker: its id, the Kafka address clients should use, rack and internal RPC address. */
public record BrokerInfo(int nodeId, String host, int port, String rack, String rpcAddress) {}
