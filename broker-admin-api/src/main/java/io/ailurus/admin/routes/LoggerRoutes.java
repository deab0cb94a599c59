package io.ailurus.admin.routes;

import io.ailurus.admin.backend.AdminApiException;
import io.ailurus.admin.http.AdminResponse;
import io.ailurus.admin.http.Router;
import io.ailurus.admin.logging.LoggerControl;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;

/**
 * {@code GET /v1/loggers}, {@code GET/PUT /v1/config/log_level/{name}}: runtime log levels.
 * A level set without {@code expires} reverts after {@value #DEFAULT_EXPIRY_SECONDS} seconds, so a
 * forgotten {@code trace} cannot fill the disk; {@code expires=0} makes it stick.
 */
public final class LoggerRoutes {

    public static final long DEFAULT_EXPIRY_SECONDS = 600;

    private final LoggerControl loggers;

    public LoggerRoutes(LoggerControl loggers) {
        this.loggers = loggers;
    }

    public void register(Router router) {
        router.get("/v1/loggers", req -> {
            boolean levels = req.queryBool("include-levels", false);
            var all = loggers.loggers().stream().sorted(Comparator.comparing(LoggerControl.LoggerLevel::name));
            return AdminResponse.ok(levels ? all.toList() : all.map(l -> Map.of("name", l.name())).toList());
        });
        router.get("/v1/config/log_level/{name}", req -> AdminResponse.ok(loggers.level(req.pathParam("name"))));
        router.put("/v1/config/log_level/{name}", req -> {
            String level = req.query("level")
                    .orElseThrow(() -> AdminApiException.badRequest("Query parameter 'level' required"));
            long expires = req.queryLong("expires").orElse(DEFAULT_EXPIRY_SECONDS);
            if (expires < 0) {
                throw AdminApiException.badRequest("Invalid expires " + expires + ": must be >= 0 seconds");
            }
            return AdminResponse.ok(loggers.setLevel(req.pathParam("name"), level, Duration.ofSeconds(expires),
                    req.queryBool("force", false)));
        });
    }
}
