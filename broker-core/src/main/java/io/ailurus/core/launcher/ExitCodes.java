package io.ailurus.core.launcher;

/** Exit codes of {@code bin/ailurus}, documented in docs/configuration.md. */
public final class ExitCodes {
    private ExitCodes() {}

    /** Ran and stopped normally (including --help and --version). */
    public static final int OK = 0;
    /** Bad configuration or flags, unusable data directory, port in use: fix and retry. */
    public static final int CONFIG_ERROR = 1;
    /** The configuration was fine but the broker could not start or failed. */
    public static final int START_FAILED = 2;
}
