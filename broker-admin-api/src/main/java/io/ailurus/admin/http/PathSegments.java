package io.ailurus.admin.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw request path into percent-decoded segments. Splitting happens before decoding so
 * an encoded {@code %2F} stays inside its segment instead of creating a new one.
 */
final class PathSegments {

    private PathSegments() {
    }

    /** {@code /v1/brokers/} and {@code /v1/brokers} give the same segments. */
    static List<String> split(String rawPath) {
        List<String> out = new ArrayList<>();
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return out;
        }
        for (String s : p.split("/", -1)) {
            out.add(QueryStringDecoder.decodeComponent(s));
        }
        return out;
    }
}
