package io.ailurus.admin.http;

/** Serves one route. Throw {@link io.ailurus.admin.backend.AdminApiException} for 4xx/5xx answers. */
@FunctionalInterface
public interface RouteHandler {
    AdminResponse handle(AdminRequest request) throws Exception;
}
