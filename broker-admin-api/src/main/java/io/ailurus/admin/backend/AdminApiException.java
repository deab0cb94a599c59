package io.ailurus.admin.backend;

import java.util.Map;

/**
 * An error the operator should see: becomes an HTTP response with this status and the body
 * {@code {"message": ..., "code": status}} (plus {@link #details()} if any), the shape Redpanda's
 * admin API uses.
 */
public class AdminApiException extends RuntimeException {

    private final int status;
    private final Map<String, Object> details;

    public AdminApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public AdminApiException(int status, String message, Map<String, Object> details) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
        this.details = Map.copyOf(details);
    }

    public static AdminApiException badRequest(String message) {
        return new AdminApiException(400, message);
    }

    public static AdminApiException notFound(String message) {
        return new AdminApiException(404, message);
    }

    /** 503: the broker cannot serve this right now (e.g. no controller leader); retrying may work. */
    public static AdminApiException unavailable(String message) {
        return new AdminApiException(503, message);
    }

    public int status() {
        return status;
    }

    /** Extra fields merged into the error body next to message and code. */
    public Map<String, Object> details() {
        return details;
    }
}
