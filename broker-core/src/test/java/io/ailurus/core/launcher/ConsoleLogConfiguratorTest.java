package io.ailurus.core.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's console logging, set up in code (no Joran, no XML parser at start-up) as logback.xml set it up before. */
class ConsoleLogConfiguratorTest {
    @TempDir
    Path tmp;

    @Test
    void configuresTheConsoleTheWayTheXmlDidWhenNoLogbackFileIsThere() {
        LoggerContext context = new LoggerContext();
        ConsoleLogConfigurator configurator = new ConsoleLogConfigurator();
        configurator.setContext(context);
        String before = System.getProperty("AILURUS_LOG_LEVEL");
        System.setProperty("AILURUS_LOG_LEVEL", "debug");
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configurator.configure(context, empty));
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        } finally {
            if (before == null) {
                System.clearProperty("AILURUS_LOG_LEVEL");
            } else {
                System.setProperty("AILURUS_LOG_LEVEL", before);
            }
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.DEBUG, root.getLevel());
        ConsoleAppender<?> console = assertInstanceOf(ConsoleAppender.class, root.getAppender("CONSOLE"));
        PatternLayoutEncoder encoder = assertInstanceOf(PatternLayoutEncoder.class, console.getEncoder());
        assertEquals("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n", encoder.getPattern());
        for (String chatty : new String[]{"com.alipay", "io.netty", "org.apache.kafka"}) {
            assertEquals(Level.WARN, context.getLogger(chatty).getLevel(), chatty);
        }
        context.stop();
    }

    @Test
    void aLogbackXmlOnTheClassPathWins() throws Exception {
        Files.writeString(tmp.resolve("logback.xml"), "<configuration/>");
        LoggerContext context = new LoggerContext();
        ConsoleLogConfigurator configurator = new ConsoleLogConfigurator();
        configurator.setContext(context);
        try (URLClassLoader withXml = new URLClassLoader(new URL[]{tmp.toUri().toURL()}, null)) {
            assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context, withXml));
        }
        assertNull(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE"));
    }

    @Test
    void theLevelDefaultsToInfo() {
        String before = System.getProperty("AILURUS_LOG_LEVEL");
        System.clearProperty("AILURUS_LOG_LEVEL");
        try {
            Level expected = System.getenv("AILURUS_LOG_LEVEL") == null ? Level.INFO
                    : Level.toLevel(System.getenv("AILURUS_LOG_LEVEL").trim(), Level.INFO);
            assertEquals(expected, ConsoleLogConfigurator.rootLevel());
        } finally {
            if (before != null) {
                System.setProperty("AILURUS_LOG_LEVEL", before);
            }
        }
    }
}
