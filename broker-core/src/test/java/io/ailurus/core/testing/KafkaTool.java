package io.ailurus.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one of Apache Kafka's command-line tools (the classes behind {@code kafka-topics.sh} and
 * friends) in a child JVM on the test class path, as the shell scripts would, bounded in time. Its
 * logging goes to stderr at WARN, so stdout is exactly what the tool prints.
 */
public final class KafkaTool {
    private final Path logbackConfig;

    /** @param workDir a directory the test owns, for the tools' logging configuration */
    public KafkaTool(Path workDir) throws IOException {
        logbackConfig = workDir.resolve("tool-logback.xml");
        Files.writeString(logbackConfig, """
            <configuration>
              <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
              <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
              </appender>
              <root level="WARN"><appender-ref ref="ERR"/></root>
            </configuration>
            """);
    }

    public ChildProcess.Result run(String mainClass, Duration limit, String... args) throws IOException, InterruptedException {
        return run(mainClass, new byte[0], limit, args);
    }

    public ChildProcess.Result run(String mainClass, byte[] stdin, Duration limit, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A short-lived tool: quick start-up matters more than peak speed.
        cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
            "--enable-native-access=ALL-UNNAMED", "-Dlogback.configurationFile=" + logbackConfig));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return ChildProcess.run(cmd, stdin, limit);
    }
}
