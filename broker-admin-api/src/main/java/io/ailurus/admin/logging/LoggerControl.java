package io.ailurus.admin.logging;

import java.time.Duration;
import java.util.List;

/**
 * Reads and changes log levels at run time, for {@code /v1/loggers} and
 * {@code /v1/config/log_level/{name}}. Levels use Redpanda's names: {@code error, warn, info,
 * debug, trace}.
 */
public interface LoggerControl extends AutoCloseable {

    /** The logger name that means the root logger. */
    String ROOT = "root";

    /** Every logger that exists in the logging system, with its effective level. */
    List<LoggerLevel> loggers();

    /** One logger's effective level; throws {@link io.ailurus.admin.backend.AdminApiException} if unknown. */
    LoggerLevel level(String name);

    /**
     * Sets a logger's level. With a positive {@code expires} the previous level comes back after
     * that long; {@link Duration#ZERO} keeps the new level until changed again. An unknown
     * logger is rejected unless {@code force} (loggers are often created lazily, so an operator
     * may need to set a package's level before its first log line).
     */
    LevelChange setLevel(String name, String level, Duration expires, boolean force);

    /** Cancels pending expiries; levels stay as they are. */
    @Override
    void close();

    /** @param expiration seconds until an override expires, 0 when none is pending */
    record LoggerLevel(String name, String level, long expiration) {
    }

    /** @param expiration seconds the new level lasts, 0 for indefinitely */
    record LevelChange(String name, String previousLevel, String newLevel, long expiration) {
    }
}
