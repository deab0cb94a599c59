package io.ailurus.core.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus server ({@code /usr/bin/prometheus}, the Debian package) run as a child process
 * on a loopback port, with its TSDB and log in a directory the test owns. Stopped by its own PID on
 * {@link #close()}.
 */
final class PrometheusServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final Logger log = LoggerFactory.getLogger(PrometheusServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Another process may take the free port between our probe and Prometheus's bind: retry a few times. */
    private static final int START_ATTEMPTS = 3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path logFile;
    private Process process;
    private int port;

    private PrometheusServer(Path logFile) {
        this.logFile = logFile;
    }

    /**
     * Starts Prometheus on {@code config} with its data under {@code dir} and waits (bounded) until
     * {@code /-/ready} answers 200.
     */
    static PrometheusServer start(Path config, Path dir, Duration readyWithin) throws IOException, InterruptedException {
        PrometheusServer server = new PrometheusServer(dir.resolve("prometheus.log"));
        for (int attempt = 1; ; attempt++) {
            server.launch(config, dir.resolve("tsdb"));
            if (server.awaitReady(readyWithin)) {
                return server;
            }
            String tail = server.logTail();
            server.close();
            if (attempt == START_ATTEMPTS || !tail.contains("address already in use")) {
                throw new IllegalStateException("Prometheus did not become ready within " + readyWithin + "; its log:\n" + tail);
            }
            log.info("Prometheus lost the race for port {}; retrying on another", server.port);
        }
    }

    private void launch(Path config, Path tsdb) throws IOException {
        port = freeLoopbackPort();
        process = new ProcessBuilder(List.of(
            BINARY.toString(),
            "--config.file=" + config,
            "--storage.tsdb.path=" + tsdb,
            "--web.listen-address=127.0.0.1:" + port))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
        log.info("started Prometheus pid {} on 127.0.0.1:{}", process.pid(), port);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private boolean awaitReady(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return true;
                }
            } catch (IOException notListeningYet) {
                // Connection refused until Prometheus has bound its port.
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Runs an instant query through {@code /api/v1/query} and returns the parsed JSON reply. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The last lines of Prometheus's own log, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            log.warn("Prometheus pid {} ignored SIGTERM for 10 s; killing it", process.pid());
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }
}
