package io.ailurus.core.kafka;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;

/**
 * The Kafka feature flags this broker puts into ApiVersions responses (KIP-584): what it supports and
 * what is finalized for the cluster. Clients switch behaviour on finalized features only; the one
 * that matters today is {@code transaction.version}: at 2 a Kafka 4.x producer stops sending
 * AddPartitionsToTxn for data partitions (Produce v12 makes the partition leader add them) and
 * expects EndTxn v5 to bump its epoch per transaction (KIP-890 part 2).
 *
 * <p>Every broker of a cluster runs the same build, so the finalized level is a constant of the build
 * rather than a replicated setting; the epoch tells clients which answer is newest and only has to be
 * at least 0 for a client to read the levels at all.
 */
public final class KafkaFeatures {
    public static final String TRANSACTION_VERSION = "transaction.version";
    /** The highest transaction.version this build implements. */
    public static final short TRANSACTION_VERSION_SUPPORTED = 2;
    /** What clients are told to use: lowering it to 1 turns KIP-890 part 2 off for every client. */
    public static final short TRANSACTION_VERSION_FINALIZED = 2;
    /** Changes whenever a finalized level of a build changes, so clients prefer the newer answer. */
    static final long FINALIZED_FEATURES_EPOCH = TRANSACTION_VERSION_FINALIZED;

    private KafkaFeatures() {}

    /** Adds the feature lists to {@code response} (ApiVersions v3+, where they are tagged fields). */
    public static ApiVersionsResponseData addTo(ApiVersionsResponseData response) {
        response.supportedFeatures().add(new SupportedFeatureKey().setName(TRANSACTION_VERSION)
            .setMinVersion((short) 0).setMaxVersion(TRANSACTION_VERSION_SUPPORTED));
        response.finalizedFeatures().add(new FinalizedFeatureKey().setName(TRANSACTION_VERSION)
            .setMinVersionLevel(TRANSACTION_VERSION_FINALIZED).setMaxVersionLevel(TRANSACTION_VERSION_FINALIZED));
        response.setFinalizedFeaturesEpoch(FINALIZED_FEATURES_EPOCH);
        return response;
    }
}
