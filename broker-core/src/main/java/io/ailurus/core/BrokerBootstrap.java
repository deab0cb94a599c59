package io.ailurus.core;

import io.ailurus.core.config.BrokerConfig;

/**
 * Starts the data plane (listeners, shards, storage, Raft) from a validated configuration. The
 * launcher ({@link AilurusMain}) has already checked the config, the data directory and the
 * ports; this class only hands over to {@link Broker}.
 */
public final class BrokerBootstrap {
    private BrokerBootstrap() {}

    /** Starts a broker and returns once it serves requests. */
    public static BrokerRuntime start(BrokerConfig config) {
        try {
            return Broker.start(config);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
