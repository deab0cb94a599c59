package io.ailurus.admin.http;

import io.ailurus.admin.backend.AdminApiException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the error body Redpanda's admin API uses: {@code {"message": "...", "code": 400}}. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static AdminResponse of(int status, String message) {
        return of(new AdminApiException(status, message));
    }

    public static AdminResponse of(AdminApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", e.getMessage() == null ? "" : e.getMessage());
        body.put("code", e.status());
        e.details().forEach(body::putIfAbsent);
        return AdminResponse.json(io.netty.handler.codec.http.HttpResponseStatus.valueOf(e.status()), body);
    }
}
