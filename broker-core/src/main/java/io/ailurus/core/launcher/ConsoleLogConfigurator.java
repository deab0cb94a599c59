package io.ailurus.core.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The broker's logging: console, one line per event, root level from {@code AILURUS_LOG_LEVEL} (system property or
 * environment, default INFO), the chatty third-party packages at WARN. The start flags {@code --log-level} and
 * {@code --verbose} override the root level once the flags are read ({@link LogLevels}).
 * <p>Why code and not {@code logback.xml}: the XML configurator (Joran and a SAX parser) loads ~370 classes at every
 * start, which cost class metadata and start-up heap (docs/benchmarks.md, "Idle memory"). A {@code logback.xml} or
 * {@code logback-test.xml} on the class path, or {@code -Dlogback.configurationFile}, still wins: this configurator
 * then steps aside and logback's own runs.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        return configure(context, ConsoleLogConfigurator.class.getClassLoader());
    }

    /** Configures {@code context} unless {@code loader} finds a logback XML file (or one is named explicitly). */
    ExecutionStatus configure(LoggerContext context, ClassLoader loader) {
        if (System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();
        // Third-party libraries are chatty at INFO; their warnings still show.
        for (String chatty : new String[]{"com.alipay", "io.netty", "org.apache.kafka"}) {
            context.getLogger(chatty).setLevel(Level.WARN);
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel());
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code AILURUS_LOG_LEVEL} as logback's XML read it: system property first, then the environment; INFO. */
    static Level rootLevel() {
        String level = System.getProperty("AILURUS_LOG_LEVEL");
        if (level == null || level.isBlank()) {
            level = System.getenv("AILURUS_LOG_LEVEL");
        }
        return Level.toLevel(level == null ? null : level.trim(), Level.INFO);
    }
}
