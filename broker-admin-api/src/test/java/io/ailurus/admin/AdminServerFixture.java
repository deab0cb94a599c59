package io.ailurus.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ailurus.admin.logging.LogbackLoggerControl;
import io.ailurus.admin.metrics.AdminMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A real admin server on 127.0.0.1 with an ephemeral port over an {@link InMemoryAdminBackend},
 * and a real HTTP/1.1 client. Close it after each test.
 */
final class AdminServerFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final InMemoryAdminBackend backend = new InMemoryAdminBackend();
    final AdminMetrics metrics = AdminMetrics.create("0.1.0-test", "abc123");
    final AdminServer server;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    AdminServerFixture() throws Exception {
        this(AdminServerOptions.of("127.0.0.1", 0));
    }

    AdminServerFixture(AdminServerOptions options) throws Exception {
        server = AdminServer.start(options, backend, metrics, LogbackLoggerControl.forCurrentBinding());
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + pathAndQuery);
    }

    HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
        HttpRequest.BodyPublisher pub = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest req = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, pub)
                .build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return send("GET", pathAndQuery, null);
    }

    HttpResponse<String> put(String pathAndQuery, String body) throws Exception {
        return send("PUT", pathAndQuery, body);
    }

    HttpResponse<String> post(String pathAndQuery, String body) throws Exception {
        return send("POST", pathAndQuery, body);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Override
    public void close() {
        server.close();
        metrics.close();
        client.close();
    }
}
