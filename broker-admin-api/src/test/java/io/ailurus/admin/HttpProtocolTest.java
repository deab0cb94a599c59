package io.ailurus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP behaviour shared by every route: error shape, 404/405, body limits, keep-alive. */
class HttpProtocolTest {

    private AdminServerFixture admin;

    @BeforeEach
    void start() throws Exception {
        admin = new AdminServerFixture(AdminServerOptions.of("127.0.0.1", 0).withMaxRequestBodyBytes(4096));
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void unknownPathIs404WithJsonErrorBody() throws Exception {
        HttpResponse<String> r = admin.get("/v1/no_such_thing");
        assertEquals(404, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        JsonNode body = AdminServerFixture.json(r);
        assertEquals(404, body.get("code").asInt());
        assertTrue(body.get("message").asText().contains("/v1/no_such_thing"), body.toString());
    }

    @Test
    void wrongMethodIs405AndSaysWhatIsAllowed() throws Exception {
        HttpResponse<String> r = admin.send("DELETE", "/v1/cluster_config", null);
        assertEquals(405, r.statusCode());
        String allow = r.headers().firstValue("allow").orElseThrow();
        assertTrue(allow.contains("GET") && allow.contains("PUT"), allow);
        assertEquals(405, AdminServerFixture.json(r).get("code").asInt());

        assertEquals(405, admin.post("/v1/brokers", "{}").statusCode());
    }

    @Test
    void malformedJsonBodyIs400AndChangesNothing() throws Exception {
        String before = admin.get("/v1/cluster_config").body();
        HttpResponse<String> r = admin.put("/v1/cluster_config", "{\"upsert\": {\"log_retention_ms\": 5");
        assertEquals(400, r.statusCode());
        JsonNode body = AdminServerFixture.json(r);
        assertEquals(400, body.get("code").asInt());
        assertTrue(body.get("message").asText().startsWith("Malformed JSON body"), body.toString());
        assertEquals(before, admin.get("/v1/cluster_config").body());
    }

    @Test
    void emptyBodyWhereJsonIsRequiredIs400() throws Exception {
        HttpResponse<String> r = admin.put("/v1/cluster_config", null);
        assertEquals(400, r.statusCode());
        assertTrue(AdminServerFixture.json(r).get("message").asText().contains("body required"), r.body());
    }

    @Test
    void oversizedBodyIs413WithJsonErrorAndServerKeepsServing() throws Exception {
        String big = "{\"upsert\": {\"log_retention_ms\": 1}, \"pad\": \"" + "x".repeat(10_000) + "\"}";
        HttpResponse<String> r = admin.put("/v1/cluster_config", big);
        assertEquals(413, r.statusCode());
        JsonNode body = AdminServerFixture.json(r);
        assertEquals(413, body.get("code").asInt());
        assertTrue(body.get("message").asText().contains("4096"), body.toString());
        // Nothing from the rejected body was applied, and the server still answers.
        HttpResponse<String> after = admin.get("/v1/cluster_config?key=log_retention_ms");
        assertEquals(200, after.statusCode());
        assertEquals(604_800_000L, AdminServerFixture.json(after).get("log_retention_ms").asLong());
    }

    @Test
    void oversizedBodyAnnouncedWithExpectContinueIs413JsonBeforeTheBodyIsSent() throws Exception {
        try (Socket s = connect()) {
            String resp = exchange(s, "PUT /v1/cluster_config HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            assertTrue(resp.startsWith("HTTP/1.1 413"), resp);
            assertTrue(resp.endsWith("\"code\":413}"), resp);
        }
    }

    @Test
    void badPercentEncodingIs400() throws Exception {
        try (Socket s = connect()) {
            String resp = exchange(s, "GET /v1/partitions/kafka/%zz/0 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(resp.startsWith("HTTP/1.1 400"), resp);
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (Socket s = connect()) {
            String first = exchange(s, "GET /v1/status/ready HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(first.startsWith("HTTP/1.1 200"), first);
            assertTrue(first.endsWith("{\"status\":\"ready\"}"), first);
            String second = exchange(s, "GET /v1/brokers/2 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(second.startsWith("HTTP/1.1 200"), second);
            assertTrue(second.contains("\"node_id\":2"), second);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedByTheServer() throws Exception {
        // A server of its own: a short idle timeout on the shared one could race the pooled
        // connections of the other tests' client.
        try (AdminServerFixture shortIdle = new AdminServerFixture(
                AdminServerOptions.of("127.0.0.1", 0).withIdleTimeout(Duration.ofMillis(500)));
             Socket s = new Socket("127.0.0.1", shortIdle.server.address().getPort())) {
            s.setSoTimeout(30_000);
            String resp = exchange(s, "GET /v1/status/ready HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(resp.startsWith("HTTP/1.1 200"), resp);
            // Keep-alive, then silence: the server hangs up after its idle timeout (500 ms here);
            // the read blocks until then, bounded by the socket's 30 s timeout.
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (Socket s = connect()) {
            String resp = exchange(s, "GET /v1/status/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(resp.toLowerCase(Locale.ROOT).contains("connection: close"), resp);
            // The server closes its end: the next read sees end of stream.
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void backendFailureIs500AndServerKeepsServing() throws Exception {
        admin.backend.failNextBrokers.set(new IllegalStateException("controller exploded"));
        HttpResponse<String> r = admin.get("/v1/brokers");
        assertEquals(500, r.statusCode());
        JsonNode body = AdminServerFixture.json(r);
        assertEquals(500, body.get("code").asInt());
        assertTrue(body.get("message").asText().contains("controller exploded"), body.toString());
        assertEquals(200, admin.get("/v1/brokers").statusCode());
    }

    @Test
    void trailingSlashFindsTheSameRoute() throws Exception {
        assertEquals(200, admin.get("/v1/brokers/").statusCode());
    }

    private Socket connect() throws Exception {
        Socket s = new Socket("127.0.0.1", admin.server.address().getPort());
        s.setSoTimeout(30_000);
        return s;
    }

    /** Sends one request and reads exactly one response (headers plus Content-Length bytes). */
    private static String exchange(Socket s, String request) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed mid-headers: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return headers + new String(body, StandardCharsets.UTF_8);
    }
}
