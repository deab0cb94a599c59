package io.ailurus.core.config;

import java.util.Objects;

/**
 * One configuration key: its name, section, type, default, rule, documentation, whether a change
 * needs a restart, and the {@code start} flag that overrides it (if any). Every key the broker
 * reads is one of these, listed in {@link ConfigRegistry}; the docs, the admin API schema and the
 * validation all come from the same definition.
 *
 * @param <T> the Java type of the value
 */
public final class ConfigKey<T> {
    private final ConfigSection section;
    private final String name;
    private final ConfigType<T> type;
    private final T defaultValue;
    private final boolean nullable;
    private final Validator<T> validator;
    private final String doc;
    private final boolean needsRestart;
    private final String flag;
    private final String defaultDoc;

    private ConfigKey(Builder<T> b) {
        this.section = b.section;
        this.name = b.name;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.nullable = b.nullable;
        this.validator = b.validator;
        this.doc = Objects.requireNonNull(b.doc, "doc of " + b.name);
        this.needsRestart = b.needsRestart;
        this.flag = b.flag;
        this.defaultDoc = b.defaultDoc;
        if (defaultValue == null && !nullable) {
            throw new IllegalStateException(name + ": a key without a default must be nullable");
        }
    }

    /** Starts the definition of a key. */
    public static <T> Builder<T> builder(ConfigSection section, String name, ConfigType<T> type) {
        return new Builder<>(section, name, type);
    }

    public ConfigSection section() {
        return section;
    }

    /** The name within its section, e.g. {@code node_id}; cluster keys are known by this name alone. */
    public String name() {
        return name;
    }

    /** Section and name, e.g. {@code ailurus.node_id}, as used in error messages. */
    public String fullName() {
        return section.yamlName() + "." + name;
    }

    public ConfigType<T> type() {
        return type;
    }

    /** The built-in default; null for nullable keys whose absence means "off" or "derived". */
    public T defaultValue() {
        return defaultValue;
    }

    /** Whether {@code null} is a valid value (e.g. "no limit"). */
    public boolean nullable() {
        return nullable;
    }

    public String doc() {
        return doc;
    }

    /** Whether a change only takes effect after the broker restarts. */
    public boolean needsRestart() {
        return needsRestart;
    }

    /** The {@code bin/ailurus start} flag that overrides this key, or null. */
    public String flag() {
        return flag;
    }

    /** The default as documented: a description for computed defaults, else the formatted value. */
    public String defaultText() {
        if (defaultDoc != null) {
            return defaultDoc;
        }
        return defaultValue == null ? "null" : type.format(defaultValue);
    }

    /** Parses text (a flag, an API call), applying the type and the rule. */
    public T parse(String text) throws BadValueException {
        if (text == null || (nullable && text.strip().equalsIgnoreCase("null"))) {
            if (nullable) {
                return null;
            }
            throw new BadValueException(type.expected());
        }
        return check(type.parse(text));
    }

    /** Reads a YAML value, applying the type and the rule. */
    public T fromYaml(YamlNode node) throws BadValueException {
        if (node instanceof YamlNode.Scalar s && s.isNull()) {
            if (nullable) {
                return null;
            }
            throw new BadValueException(type.expected() + " (this key cannot be null)");
        }
        return check(type.fromYaml(node));
    }

    /** Applies the rule to an already-typed value. */
    public T check(T value) throws BadValueException {
        if (value == null) {
            if (nullable) {
                return null;
            }
            throw new BadValueException(type.expected() + " (this key cannot be null)");
        }
        String problem = validator.check(value);
        if (problem != null) {
            throw new BadValueException(problem);
        }
        return value;
    }

    /** Text form of a value of this key; {@code null} prints as "null". */
    public String format(Object value) {
        @SuppressWarnings("unchecked")
        T v = (T) value;
        return v == null ? "null" : type.format(v);
    }

    @Override
    public String toString() {
        return fullName();
    }

    /** Collects a key's attributes; {@link #build()} checks that a default or nullability is given. */
    public static final class Builder<T> {
        private final ConfigSection section;
        private final String name;
        private final ConfigType<T> type;
        private T defaultValue;
        private boolean nullable;
        private Validator<T> validator = Validator.none();
        private String doc;
        private boolean needsRestart;
        private String flag;
        private String defaultDoc;

        private Builder(ConfigSection section, String name, ConfigType<T> type) {
            this.section = section;
            this.name = name;
            this.type = type;
        }

        public Builder<T> defaultValue(T value) {
            this.defaultValue = value;
            return this;
        }

        public Builder<T> nullable() {
            this.nullable = true;
            return this;
        }

        public Builder<T> validator(Validator<T> rule) {
            this.validator = rule;
            return this;
        }

        public Builder<T> doc(String text) {
            this.doc = text;
            return this;
        }

        public Builder<T> needsRestart() {
            this.needsRestart = true;
            return this;
        }

        public Builder<T> flag(String flagName) {
            this.flag = flagName;
            return this;
        }

        /** How to document a default that is computed at start-up. */
        public Builder<T> defaultDoc(String text) {
            this.defaultDoc = text;
            return this;
        }

        public ConfigKey<T> build() {
            return new ConfigKey<>(this);
        }
    }
}
