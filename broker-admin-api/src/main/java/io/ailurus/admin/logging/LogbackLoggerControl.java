package io.ailurus.admin.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.ailurus.admin.backend.AdminApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * {@link LoggerControl} on logback. An override with an expiry remembers the level the logger
 * had <em>configured</em> before the first override (null meaning "inherit from parent"), so
 * stacking overrides and letting them expire returns the logger to its configuration rather than
 * to an intermediate override.
 */
public final class LogbackLoggerControl implements LoggerControl {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(LogbackLoggerControl.class);
    private static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");

    private final LoggerContext context;
    private final Clock clock;
    private final ScheduledExecutorService expiry;
    // Guarded by this: logger name to its pending restore.
    private final Map<String, LevelOverride> overrides = new HashMap<>();

    /** @param token identifies this override, so a late-running restore of an older one is a no-op */
    private record LevelOverride(Level configured, Instant expiresAt, ScheduledFuture<?> restore, Object token) {
    }

    public LogbackLoggerControl(LoggerContext context) {
        this.context = context;
        this.clock = Clock.systemUTC();
        this.expiry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ailurus-admin-log-level-expiry");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The control for the process's slf4j binding, or a control that answers 501 on every
     * call when slf4j is not bound to logback.
     */
    public static LoggerControl forCurrentBinding() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            return new LogbackLoggerControl(ctx);
        }
        log.warn("slf4j is bound to {}, not logback: runtime log levels are unavailable",
                LoggerFactory.getILoggerFactory().getClass().getName());
        return new UnsupportedLoggerControl();
    }

    @Override
    public List<LoggerLevel> loggers() {
        List<LoggerLevel> out = new ArrayList<>();
        for (Logger l : context.getLoggerList()) {
            out.add(describe(l));
        }
        return out;
    }

    @Override
    public LoggerLevel level(String name) {
        Logger l = existing(name);
        if (l == null) {
            throw AdminApiException.notFound("Unknown logger '" + name + "'");
        }
        return describe(l);
    }

    @Override
    public synchronized LevelChange setLevel(String name, String level, Duration expires, boolean force) {
        String wanted = level == null ? "" : level.toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(wanted)) {
            throw AdminApiException.badRequest("Invalid log level '" + level + "': expected one of " + LEVELS);
        }
        if (expires.isNegative()) {
            throw AdminApiException.badRequest("Invalid expires " + expires.toSeconds() + ": must be >= 0");
        }
        Logger l = existing(name);
        if (l == null && !force) {
            throw AdminApiException.badRequest("Unknown logger '" + name
                    + "'; add force=true to create it and set its level");
        }
        if (l == null) {
            l = context.getLogger(name);
        }
        String previous = effective(l);
        LevelOverride pending = overrides.remove(l.getName());
        Level configured = pending != null ? pending.configured() : l.getLevel();
        if (pending != null) {
            pending.restore().cancel(false);
        }
        l.setLevel(Level.toLevel(wanted));
        if (!expires.isZero()) {
            Logger target = l;
            Object token = new Object();
            ScheduledFuture<?> restore = expiry.schedule(() -> restore(target, configured, token),
                    expires.toMillis(), TimeUnit.MILLISECONDS);
            overrides.put(l.getName(), new LevelOverride(configured, clock.instant().plus(expires), restore, token));
        }
        log.info("log level of {} set from {} to {}{}", displayName(l), previous, wanted,
                expires.isZero() ? "" : " for " + expires.toSeconds() + "s");
        return new LevelChange(displayName(l), previous, wanted, expires.toSeconds());
    }

    private synchronized void restore(Logger logger, Level configured, Object token) {
        LevelOverride o = overrides.get(logger.getName());
        if (o == null || o.token() != token) {
            return; // superseded by a later setLevel while this task waited for the lock
        }
        overrides.remove(logger.getName());
        logger.setLevel(configured);
        log.info("log level override of {} expired; back to {}", displayName(logger), effective(logger));
    }

    private Logger existing(String name) {
        if (name == null || name.isEmpty()) {
            throw AdminApiException.badRequest("Logger name required");
        }
        if (ROOT.equalsIgnoreCase(name) || Logger.ROOT_LOGGER_NAME.equals(name)) {
            return context.getLogger(Logger.ROOT_LOGGER_NAME);
        }
        return context.exists(name);
    }

    private synchronized LoggerLevel describe(Logger l) {
        LevelOverride o = overrides.get(l.getName());
        long remaining = 0;
        if (o != null) {
            // Round up so a pending override never reads as "0 = none".
            long millis = Duration.between(clock.instant(), o.expiresAt()).toMillis();
            remaining = Math.max(1, (millis + 999) / 1000);
        }
        return new LoggerLevel(displayName(l), effective(l), remaining);
    }

    private static String effective(Logger l) {
        return l.getEffectiveLevel().toString().toLowerCase(Locale.ROOT);
    }

    private static String displayName(Logger l) {
        return Logger.ROOT_LOGGER_NAME.equals(l.getName()) ? ROOT : l.getName();
    }

    @Override
    public void close() {
        expiry.shutdownNow();
    }
}
