package io.ailurus.core.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.ailurus.core.config.ConfigException;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Sets the root log level from {@code --log-level}/{@code --verbose}, over {@code AILURUS_LOG_LEVEL}. */
public final class LogLevels {
    /** The levels accepted by {@code --log-level} and {@code AILURUS_LOG_LEVEL}. */
    public static final List<String> NAMES = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    private LogLevels() {}

    /**
     * @param level a level name, or null to keep the configured one
     * @throws ConfigException if the name is not a level
     */
    public static void setRoot(String level) {
        if (level == null) {
            return;
        }
        String upper = level.strip().toUpperCase(Locale.ROOT);
        if (!NAMES.contains(upper)) {
            throw ConfigException.invalidValue("--log-level", null, level, "one of " + String.join(", ", NAMES));
        }
        // Only logback can be adjusted; with another SLF4J binding the flag is ignored.
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.toLevel(upper));
        }
    }
}
