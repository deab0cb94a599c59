package io.ailurus.core.config;

/**
 * A configuration problem the operator must fix: a bad key, a bad value, a port in use, a data
 * directory the broker cannot write. The message is one line that names the key or flag, the bad
 * value and what is expected, so the launcher prints it as is, without a stack trace.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The uniform "bad value" message: {@code <where>: invalid value '<value>' for <key>: expected <expected>}.
     *
     * @param where    where the value came from, e.g. {@code ailurus.yaml:7:13} or {@code --node-id}
     * @param key      the key's full name, e.g. {@code ailurus.node_id}; may be null when {@code where} is a flag
     * @param value    the text as given
     * @param expected what would have been accepted
     */
    public static ConfigException invalidValue(String where, String key, String value, String expected) {
        String subject = key == null ? "" : " for " + key;
        return new ConfigException(where + ": invalid value '" + oneLine(value) + "'" + subject + ": expected " + expected);
    }

    /** Collapses line breaks so that a message always stays on one line. */
    static String oneLine(String text) {
        return text == null ? "null" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
