package io.ailurus.rpk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The broker's admin HTTP API ({@code /v1/...}) over {@link HttpClient} and Jackson. Tries each
 * admin host in turn until one answers; a 4xx/5xx answer becomes an {@link RpkException} carrying
 * the broker's own message (and per-property reasons for rejected configuration).
 */
public final class AdminApiClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> hosts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    AdminApiClient(List<String> hosts) {
        this.hosts = hosts;
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    private JsonNode send(String method, String path, Object body) {
        IOException last = null;
        for (String host : hosts) {
            try {
                HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .method(method, publisher).build();
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                return parse(host, path, r);
            } catch (ConnectException | HttpConnectTimeoutException e) {
                last = e;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RpkException("interrupted");
            }
        }
        throw new RpkException("cannot connect to the admin API at " + String.join(",", hosts)
            + (last == null || last.getMessage() == null ? "" : " (" + last.getMessage() + ")")
            + ": is the broker running? set -X admin.hosts=HOST:PORT or RPK_ADMIN_HOSTS");
    }

    private static JsonNode parse(String host, String path, HttpResponse<String> r) throws IOException {
        String text = r.body();
        JsonNode json = text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        if (r.statusCode() >= 400) {
            StringBuilder msg = new StringBuilder();
            msg.append(json.hasNonNull("message") ? json.get("message").asText() : text);
            msg.append(" (HTTP ").append(r.statusCode()).append(" from ").append(host).append(path).append(')');
            throw new RpkException(msg.toString());
        }
        return json;
    }
}
