package io.ailurus.core.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.AilurusMain;
import io.ailurus.core.BrokerRuntime;
import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.BrokerConfigLoader;
import io.ailurus.core.config.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ailurus start} in-process: flags reach the broker, errors map to exit codes and one-line
 * messages, and the broker is not started when anything is wrong. The data plane is replaced by a
 * recording starter so that the launcher's own behaviour is what is tested.
 */
class StartCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicReference<BrokerConfig> started = new AtomicReference<>();
    private final AtomicInteger closed = new AtomicInteger();

    @AfterEach
    void restoreLogLevel() {
        LogLevels.setRoot("INFO");
    }

    /** A broker that stops as soon as it is waited on. */
    private BrokerRuntime recordingStart(BrokerConfig config) {
        started.set(config);
        return new BrokerRuntime() {
            @Override
            public void awaitShutdown() {
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }

    private int run(BrokerStarter starter, String... args) {
        return AilurusMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true), starter,
                new BrokerConfigLoader(tmp, tmp));
    }

    private int run(String... args) {
        return run(this::recordingStart, args);
    }

    private String[] ephemeral(String... more) {
        String[] base = {"start", "--data-dir", tmp.resolve("data").toString(), "--kafka-addr", "127.0.0.1:0",
                "--admin-addr", "127.0.0.1:0", "--rpc-addr", "127.0.0.1:0"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void validFlagsReachTheBrokerAndTheRunEndsWithExitZero() {
        int code = run(ephemeral("--node-id", "7", "--smp", "1", "--memory", "64M", "--overprovisioned",
                "--advertise-kafka-addr", "broker7.example:9092", "--seeds", "127.0.0.1:33145"));
        assertEquals(ExitCodes.OK, code, err.toString());
        BrokerConfig c = started.get();
        assertEquals(7, c.nodeId());
        assertEquals(1, c.smp());
        assertEquals(64L << 20, c.memoryBytes());
        assertTrue(c.overprovisioned());
        assertEquals(new HostPort("broker7.example", 9092), c.advertisedKafkaApi().get(0).address());
        assertEquals(new HostPort("127.0.0.1", 33145), c.seedServers().get(0));
        assertTrue(Files.isDirectory(tmp.resolve("data")), "data directory created by the start-up check");
        assertEquals("", err.toString());
    }

    @Test
    void configFileAndFlagsCombine() throws IOException {
        Path file = Files.writeString(tmp.resolve("ailurus.yaml"), "ailurus:\n  node_id: 3\ncluster:\n  default_topic_partitions: 6\n");
        assertEquals(ExitCodes.OK, run(ephemeral("--config", file.toString(), "--check=false")), err.toString());
        assertEquals(3, started.get().nodeId());
        assertEquals(6, started.get().cluster().defaultTopicPartitions());
        assertEquals(file, started.get().configFile().orElseThrow());
    }

    @Test
    void badConfigIsExitOneWithOneLineAndNoBroker() {
        assertEquals(ExitCodes.CONFIG_ERROR, run(ephemeral("--node-id", "-3")));
        assertEquals("ailurus: error: --node-id: invalid value '-3': expected an integer >= 0\n", err.toString());
        assertNull(started.get());
    }

    @Test
    void verboseAddsTheStackTrace() {
        assertEquals(ExitCodes.CONFIG_ERROR, run(ephemeral("--node-id", "x", "--verbose")));
        assertTrue(err.toString().startsWith("ailurus: error: --node-id: invalid value 'x'"), err.toString());
        assertTrue(err.toString().contains("\tat io.ailurus.core."), "stack trace expected with --verbose");
    }

    @Test
    void portInUseStopsBeforeTheBrokerStarts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(ExitCodes.CONFIG_ERROR, run(ephemeral("--kafka-addr", "127.0.0.1:" + port)));
            assertTrue(err.toString().startsWith("ailurus: error: kafka_api listener 'internal' 127.0.0.1:" + port
                    + ": port " + port + " is already in use (--kafka-addr)"), err.toString());
            assertNull(started.get());
        }
    }

    @Test
    void unusableDataDirectoryStopsBeforeTheBrokerStarts() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals(ExitCodes.CONFIG_ERROR, run(ephemeral("--data-dir", file.resolve("data").toString())));
        assertTrue(err.toString().startsWith("ailurus: error: data_directory (--data-dir): cannot create"), err.toString());
        assertNull(started.get());
    }

    @Test
    void unstartableBrokerIsExitTwo() {
        int code = run(config -> {
            throw new UnsupportedOperationException("the data plane is not built yet");
        }, ephemeral());
        assertEquals(ExitCodes.START_FAILED, code);
        assertEquals("ailurus: error: cannot start the broker: the data plane is not built yet\n", err.toString());
    }

    @Test
    void brokerFailureIsExitTwo() {
        int code = run(config -> {
            throw new IllegalStateException("disk on fire");
        }, ephemeral());
        assertEquals(ExitCodes.START_FAILED, code);
        assertEquals("ailurus: error: the broker failed to start: java.lang.IllegalStateException: disk on fire\n", err.toString());
    }

    @Test
    void unknownFlagSuggestsTheRightOne() {
        assertEquals(ExitCodes.CONFIG_ERROR, run("start", "--nodeid", "1"));
        assertTrue(err.toString().startsWith("ailurus: error: Unknown option"), err.toString());
        assertTrue(err.toString().contains("did you mean --node-id?"), err.toString());
        assertNull(started.get());
    }

    @Test
    void checkTakesOnlyABoolean() {
        assertEquals(ExitCodes.CONFIG_ERROR, run(ephemeral("--check=maybe")));
        assertEquals("ailurus: error: --check: invalid value 'maybe': expected true or false\n", err.toString());
    }

    @Test
    void logLevelIsValidated() {
        assertEquals(ExitCodes.CONFIG_ERROR, run(ephemeral("--log-level", "LOUD")));
        assertEquals("ailurus: error: --log-level: invalid value 'LOUD': expected one of TRACE, DEBUG, INFO, WARN, ERROR\n",
                err.toString());
    }

    @Test
    void versionAndMissingCommand() {
        assertEquals(ExitCodes.OK, run("--version"));
        assertTrue(out.toString().startsWith("Ailurus "), out.toString());
        assertEquals(ExitCodes.CONFIG_ERROR, run());
        assertTrue(err.toString().contains("missing command"), err.toString());
    }

    @Test
    void bannerNamesWhatAnOperatorNeeds() {
        BrokerConfig c = BrokerConfig.builder().nodeId(4).dataDirectory(tmp).kafkaApi(new HostPort("0.0.0.0", 9092)).build();
        String banner = String.join("\n", StartupBanner.lines(c));
        assertTrue(banner.contains("starting node 4"), banner);
        assertTrue(banner.contains("internal://0.0.0.0:9092 (advertised as 127.0.0.1:9092)"), banner);
        assertTrue(banner.contains("data_directory " + tmp.toAbsolutePath()), banner);
        assertTrue(banner.contains("ailurus-default.yaml (built in)"), banner);
        assertTrue(banner.contains("founding a new cluster"), banner);
    }
}
