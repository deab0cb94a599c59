package io.ailurus.core.config;

import java.util.Objects;

/**
 * A value given on the command line for a node or tuning key, in text form, e.g.
 * {@code --node-id 3}. Parsed with the key's type so that flags and YAML obey the same rules.
 *
 * @param flag the flag as typed, used in error messages
 * @param key  the key it overrides
 * @param text the value as typed
 */
public record ConfigOverride(String flag, ConfigKey<?> key, String text) {
    public ConfigOverride {
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(text, "text");
    }

    /** The override for {@code key} with the flag the key declares. */
    public static ConfigOverride of(ConfigKey<?> key, String text) {
        return new ConfigOverride(Objects.requireNonNull(key.flag(), key.fullName() + " has no flag"), key, text);
    }
}
