package io.ailurus.core.config;

/**
 * Thrown by a {@link ConfigType} when a text or YAML node cannot be turned into a value. It carries
 * what was expected and, for structured values (a list of listeners), which part was wrong; the
 * caller knows the key or flag and turns it into a one-line {@link ConfigException}.
 */
public final class BadValueException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient YamlNode.Location location;
    private final String value;

    public BadValueException(String expected) {
        this(expected, null, null);
    }

    /**
     * @param location where in the file the offending part is, or null to use the key's position
     * @param value    the offending part's text, or null to use the whole value
     */
    public BadValueException(String expected, YamlNode.Location location, String value) {
        super(expected, null, false, false);
        this.location = location;
        this.value = value;
    }

    /** What would have been accepted, e.g. "an integer in [0, 65535]". */
    public String expected() {
        return getMessage();
    }

    /** Position of the offending part of a structured value, or null. */
    public YamlNode.Location location() {
        return location;
    }

    /** Text of the offending part of a structured value, or null. */
    public String value() {
        return value;
    }
}
