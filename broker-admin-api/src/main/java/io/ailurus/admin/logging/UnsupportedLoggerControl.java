package io.ailurus.admin.logging;

import io.ailurus.admin.backend.AdminApiException;
import java.time.Duration;
import java.util.List;

/** Stands in when slf4j is not bound to logback: every call answers 501 Not Implemented. */
final class UnsupportedLoggerControl implements LoggerControl {

    private static AdminApiException unsupported() {
        return new AdminApiException(501, "Runtime log levels need logback as the slf4j binding");
    }

    @Override
    public List<LoggerLevel> loggers() {
        throw unsupported();
    }

    @Override
    public LoggerLevel level(String name) {
        throw unsupported();
    }

    @Override
    public LevelChange setLevel(String name, String level, Duration expires, boolean force) {
        throw unsupported();
    }

    @Override
    public void close() {
    }
}
