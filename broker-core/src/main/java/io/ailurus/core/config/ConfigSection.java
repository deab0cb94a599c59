package io.ailurus.core.config;

/**
 * The top-level sections of the YAML file. Node keys (who this broker is, where it listens) go
 * under {@code ailurus:} as Redpanda's go under {@code redpanda:}; resource settings under
 * {@code tuning:}; cluster-wide properties, read as the cluster's initial values, under {@code cluster:}.
 */
public enum ConfigSection {
    NODE("ailurus"),
    TUNING("tuning"),
    CLUSTER("cluster");

    private final String yamlName;

    ConfigSection(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The section's key in the YAML file. */
    public String yamlName() {
        return yamlName;
    }

    /** The section whose YAML key is {@code name}, or null. */
    public static ConfigSection byYamlName(String name) {
        for (ConfigSection s : values()) {
            if (s.yamlName.equals(name)) {
                return s;
            }
        }
        return null;
    }
}
