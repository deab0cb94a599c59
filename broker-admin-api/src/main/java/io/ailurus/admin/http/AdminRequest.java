package io.ailurus.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.admin.backend.AdminApiException;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A decoded request: method, path parameters bound by the route pattern, query parameters and
 * the whole body. The typed accessors turn bad input into 400 answers naming the parameter.
 */
public final class AdminRequest {

    private final HttpMethod method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final byte[] body;

    public AdminRequest(HttpMethod method, String path, Map<String, String> pathParams,
                        Map<String, List<String>> query, byte[] body) {
        this.method = method;
        this.path = path;
        this.pathParams = Map.copyOf(pathParams);
        this.query = Map.copyOf(query);
        this.body = body;
    }

    public HttpMethod method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** A path parameter the route pattern guarantees exists. */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return v;
    }

    /** A path parameter that must be a non-negative int. */
    public int pathInt(String name) {
        String raw = pathParam(name);
        try {
            int v = Integer.parseInt(raw);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw AdminApiException.badRequest("Invalid " + name + " '" + raw + "': expected a non-negative integer");
    }

    /** The last value of a query parameter (a repeated parameter means its last occurrence). */
    public Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    /** A boolean query parameter: {@code true/false/1/0} (any case); absent means {@code dflt}. */
    public boolean queryBool(String name, boolean dflt) {
        Optional<String> raw = query(name);
        if (raw.isEmpty()) {
            return dflt;
        }
        return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw AdminApiException.badRequest(
                    "Invalid " + name + " '" + raw.get() + "': expected true or false");
        };
    }

    public OptionalLong queryLong(String name) {
        Optional<String> raw = query(name);
        if (raw.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(raw.get()));
        } catch (NumberFormatException e) {
            throw AdminApiException.badRequest("Invalid " + name + " '" + raw.get() + "': expected an integer");
        }
    }

    public OptionalInt queryInt(String name) {
        OptionalLong v = queryLong(name);
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        if (v.getAsLong() < Integer.MIN_VALUE || v.getAsLong() > Integer.MAX_VALUE) {
            throw AdminApiException.badRequest("Invalid " + name + " '" + v.getAsLong() + "': out of range");
        }
        return OptionalInt.of((int) v.getAsLong());
    }

    /** The body parsed as JSON; a missing or malformed body is a 400 saying why. */
    public JsonNode jsonBody() {
        if (body.length == 0) {
            throw AdminApiException.badRequest("Request body required: expected a JSON document");
        }
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node == null || node.isMissingNode()) {
                throw AdminApiException.badRequest("Request body required: expected a JSON document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw AdminApiException.badRequest("Malformed JSON body: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw AdminApiException.badRequest("Unreadable JSON body: " + e.getMessage());
        }
    }
}
