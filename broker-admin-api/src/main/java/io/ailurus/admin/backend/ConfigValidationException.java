package io.ailurus.admin.backend;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A cluster configuration patch was rejected. Carries one reason per bad property; the HTTP body
 * is {@code {"message": "...", "code": 400, "errors": {"property": "reason", ...}}}.
 */
public final class ConfigValidationException extends AdminApiException {

    private final Map<String, String> errors;

    public ConfigValidationException(Map<String, String> errors) {
        this(new TreeMap<>(errors));
    }

    private ConfigValidationException(TreeMap<String, String> sorted) {
        super(400, describe(sorted), Map.of("errors", sorted));
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a validation failure needs at least one error");
        }
        this.errors = Map.copyOf(sorted);
    }

    /** Property name to the reason it was rejected. */
    public Map<String, String> errors() {
        return errors;
    }

    private static String describe(Map<String, String> errors) {
        return "Invalid cluster configuration: " + errors.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; "));
    }
}
