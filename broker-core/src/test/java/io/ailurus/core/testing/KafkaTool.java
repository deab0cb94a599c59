package io.ailurus.core.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs one of Apache Kafka's command-line tools (the classes behind {@code kafka-topics.sh} and
 * friends) in a child JVM on the test class path, as the shell scripts would, bounded in time. Its
 * logging goes to stderr at WARN, so stdout is exactly what the tool prints.
 */
public final class KafkaTool {
    private final Path logbackConfig;
    private final Path classArchive;

    /** @param workDir a directory the test owns, for the tools' logging configuration */
    public KafkaTool(Path workDir) throws IOException {
        logbackConfig = workDir.resolve("tool-logback.xml");
        classArchive = workDir.resolve("tool-classes.jsa");
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
        // A short-lived tool: quick start-up matters more than peak speed. The first run writes a
        // class-data archive of the tool classes (Scala's included) that later runs map instead of loading.
        cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + classArchive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
            "--enable-native-access=ALL-UNNAMED", "-Dlogback.configurationFile=" + logbackConfig));
        cmd.addAll(List.of("-cp", jarsOfTheClassPath(), mainClass));
        cmd.addAll(List.of(args));
        return ChildProcess.run(cmd, stdin, limit);
    }

    /**
     * The test class path without its directories: the tools need only the Kafka jars (and logging),
     * and a class-data archive can only be made from jars.
     */
    private static String jarsOfTheClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> e.endsWith(".jar"))
            .collect(Collectors.joining(File.pathSeparator));
    }
}
