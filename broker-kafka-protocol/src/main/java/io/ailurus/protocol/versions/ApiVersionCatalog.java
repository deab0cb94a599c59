package io.ailurus.protocol.versions;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The version range Ailurus serves for each API it knows how to host, whether or not a handler is
 * registered for it yet. An {@link ApiVersionTable} is this catalogue restricted to the registered
 * handlers.
 *
 * <p>The default for every API is kafka-clients 4.3.1's range as a Kafka 4.x broker advertises it
 * ({@code oldestVersion()..latestVersion()}, stable versions only). Older versions cannot be served
 * because the generated classes no longer parse them; Kafka 2.1+ clients and librdkafka 2.x negotiate
 * down to these ranges. Every departure from the default is listed below with its reason.
 */
public final class ApiVersionCatalog {
    private static final Map<ApiKeys, ApiVersionRange> RANGES = build();

    private ApiVersionCatalog() {
    }

    private static Map<ApiKeys, ApiVersionRange> build() {
        Map<ApiKeys, ApiVersionRange> m = new EnumMap<>(ApiKeys.class);
        // Produce: v0-2 are gone from Kafka 4.x but still advertised (see ApiVersionRange). v13 addresses
        // topics by id; clients use it only if Metadata returned topic ids.
        m.put(ApiKeys.PRODUCE, new ApiVersionRange(ApiKeys.PRODUCE,
                ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION,
                ApiKeys.PRODUCE.oldestVersion(), ApiKeys.PRODUCE.latestVersion()));
        // Fetch v13+ addresses topics by id, as Produce does.
        stock(m, ApiKeys.FETCH);
        stock(m, ApiKeys.LIST_OFFSETS);
        stock(m, ApiKeys.METADATA);
        stock(m, ApiKeys.OFFSET_COMMIT);
        stock(m, ApiKeys.OFFSET_FETCH);
        stock(m, ApiKeys.FIND_COORDINATOR);
        stock(m, ApiKeys.JOIN_GROUP);
        stock(m, ApiKeys.HEARTBEAT);
        stock(m, ApiKeys.LEAVE_GROUP);
        stock(m, ApiKeys.SYNC_GROUP);
        stock(m, ApiKeys.DESCRIBE_GROUPS);
        stock(m, ApiKeys.LIST_GROUPS);
        stock(m, ApiKeys.API_VERSIONS);
        stock(m, ApiKeys.CREATE_TOPICS);
        stock(m, ApiKeys.DELETE_TOPICS);
        stock(m, ApiKeys.DELETE_RECORDS);
        // InitProducerId v6 is KIP-939 (two-phase commit, keepPreparedTxn); Kafka 4.3 itself does not
        // advertise it by default, and Ailurus does not implement prepared transactions.
        m.put(ApiKeys.INIT_PRODUCER_ID, ApiVersionRange.of(ApiKeys.INIT_PRODUCER_ID, 0, 5));
        stock(m, ApiKeys.OFFSET_FOR_LEADER_EPOCH);
        stock(m, ApiKeys.DESCRIBE_CONFIGS);
        stock(m, ApiKeys.ALTER_CONFIGS);
        stock(m, ApiKeys.DESCRIBE_LOG_DIRS);
        stock(m, ApiKeys.CREATE_PARTITIONS);
        // Replica moves and preferred-leader elections (issue 5): served by any broker, which
        // proposes to the controller group or asks the partition leader.
        stock(m, ApiKeys.ELECT_LEADERS);
        stock(m, ApiKeys.DELETE_GROUPS);
        stock(m, ApiKeys.INCREMENTAL_ALTER_CONFIGS);
        stock(m, ApiKeys.ALTER_PARTITION_REASSIGNMENTS);
        stock(m, ApiKeys.LIST_PARTITION_REASSIGNMENTS);
        stock(m, ApiKeys.OFFSET_DELETE);
        stock(m, ApiKeys.DESCRIBE_CLUSTER);
        stock(m, ApiKeys.CONSUMER_GROUP_HEARTBEAT);
        stock(m, ApiKeys.CONSUMER_GROUP_DESCRIBE);
        // Transactions: the coordinator's APIs. AddPartitionsToTxn v4+ is the broker-to-broker batched
        // form (KIP-890 verification); EndTxn v5 is what transaction.version 2 clients send (the broker
        // finalizes transaction.version 2: the decision bumps the producer epoch, KIP-890 part 2).
        stock(m, ApiKeys.ADD_PARTITIONS_TO_TXN);
        stock(m, ApiKeys.ADD_OFFSETS_TO_TXN);
        stock(m, ApiKeys.END_TXN);
        stock(m, ApiKeys.TXN_OFFSET_COMMIT);
        stock(m, ApiKeys.DESCRIBE_TRANSACTIONS);
        stock(m, ApiKeys.LIST_TRANSACTIONS);
        // The partition side of transactions: the coordinator writes COMMIT/ABORT markers to the
        // partition leaders (WriteTxnMarkers), and DescribeProducers shows each partition's producers.
        stock(m, ApiKeys.WRITE_TXN_MARKERS);
        stock(m, ApiKeys.DESCRIBE_PRODUCERS);
        // Security APIs (SaslHandshake, SaslAuthenticate, ACLs, SCRAM, delegation tokens) are out of scope:
        // requests for them get UNSUPPORTED_VERSION.
        return Collections.unmodifiableMap(m);
    }

    private static void stock(Map<ApiKeys, ApiVersionRange> m, ApiKeys api) {
        m.put(api, ApiVersionRange.of(api, api.oldestVersion(), api.latestVersion()));
    }

    /** The range Ailurus would serve for {@code api}, or empty if it is not an API Ailurus can host. */
    public static Optional<ApiVersionRange> rangeOf(ApiKeys api) {
        return Optional.ofNullable(RANGES.get(api));
    }

    /** Every API in the catalogue with its range, in api-key order. */
    public static Map<ApiKeys, ApiVersionRange> all() {
        return RANGES;
    }
}
