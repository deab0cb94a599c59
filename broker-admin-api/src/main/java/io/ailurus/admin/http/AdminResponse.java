package io.ailurus.admin.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a route answers: a status, a content type and a body. JSON bodies are serialised by the
 * server with {@link Json#mapper()}, so handlers return plain records and maps.
 */
public final class AdminResponse {

    static final String JSON = "application/json";

    private final HttpResponseStatus status;
    private final String contentType;
    private final Object jsonBody;
    private final byte[] rawBody;

    private AdminResponse(HttpResponseStatus status, String contentType, Object jsonBody, byte[] rawBody) {
        this.status = Objects.requireNonNull(status);
        this.contentType = contentType;
        this.jsonBody = jsonBody;
        this.rawBody = rawBody;
    }

    /** 200 with {@code body} as JSON. */
    public static AdminResponse ok(Object body) {
        return json(HttpResponseStatus.OK, body);
    }

    public static AdminResponse json(HttpResponseStatus status, Object body) {
        return new AdminResponse(status, JSON, Objects.requireNonNull(body, "body"), null);
    }

    /** 200 with no body: Redpanda's {@code void} operations answer this way. */
    public static AdminResponse empty() {
        return new AdminResponse(HttpResponseStatus.OK, null, null, new byte[0]);
    }

    public static AdminResponse text(HttpResponseStatus status, String contentType, String body) {
        return new AdminResponse(status, contentType, null, body.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** Null for an empty body. */
    public String contentType() {
        return contentType;
    }

    /** The body bytes, serialising JSON now. */
    byte[] bodyBytes() throws com.fasterxml.jackson.core.JsonProcessingException {
        return rawBody != null ? rawBody : Json.mapper().writeValueAsBytes(jsonBody);
    }
}
