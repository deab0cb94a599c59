package io.ailurus.core.launcher;

import io.ailurus.core.BrokerRuntime;
import io.ailurus.core.config.BrokerConfig;

/**
 * What the start command calls once the configuration is valid: {@code BrokerBootstrap::start} in
 * production. A seam so the launcher's own behaviour (parsing, checks, exit codes, shutdown) can
 * be tested without the data plane.
 */
@FunctionalInterface
public interface BrokerStarter {
    BrokerRuntime start(BrokerConfig config);
}
