package io.ailurus.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link BrokerConfig} in the order an operator expects: built-in defaults, then the
 * YAML file (the one given with {@code --config}, else the built-in {@code ailurus-default.yaml}),
 * then the start flags, each overriding the one before.
 *
 * <p>Relative paths: a {@code data_directory} in a YAML file is resolved against the installation
 * directory ({@code AILURUS_HOME}, passed by {@code bin/ailurus} as {@code -Dailurus.home}), so the
 * built-in default {@code var/data} lands under the installation whatever the working directory;
 * a relative {@code --data-dir} is resolved against the working directory, as shells users expect.
 */
public final class BrokerConfigLoader {
    /** Class-path resource holding the configuration used when no {@code --config} is given. */
    public static final String DEFAULT_RESOURCE = "ailurus-default.yaml";

    private final Path home;
    private final Path workingDirectory;

    /**
     * @param home             the installation directory, base of relative paths in YAML files
     * @param workingDirectory base of relative paths given as flags
     */
    public BrokerConfigLoader(Path home, Path workingDirectory) {
        this.home = home.toAbsolutePath().normalize();
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /** A loader for this process: {@link #installationHome()} and the current directory. */
    public static BrokerConfigLoader forThisProcess() {
        return new BrokerConfigLoader(installationHome(), Path.of(""));
    }

    /**
     * The installation directory: {@code -Dailurus.home} if set (bin/ailurus sets it), else two
     * levels above the jar or classes directory this class was loaded from
     * ({@code <home>/broker-core/target/...}), else the working directory.
     */
    public static Path installationHome() {
        String prop = System.getProperty("ailurus.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(BrokerConfigLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = code.getParent();
            if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
                return target.getParent().getParent().toAbsolutePath().normalize();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through: no usable code source (e.g. a custom class loader)
        }
        return Path.of("").toAbsolutePath();
    }

    /**
     * Loads the configuration.
     *
     * @param configFile the {@code --config} file, or null for the built-in default
     * @param overrides  start flags, applied last
     * @throws ConfigException with a one-line message for any problem
     */
    public BrokerConfig load(Path configFile, List<ConfigOverride> overrides) {
        ConfigFileParser.Parsed parsed = configFile == null
                ? ConfigFileParser.parse(YamlReader.read(readDefault(), DEFAULT_RESOURCE + " (built in)"))
                : ConfigFileParser.parse(YamlReader.read(readFile(configFile), configFile.toString()));
        BrokerConfig.Builder builder = BrokerConfig.builder().cluster(parsed.cluster());
        if (configFile != null) {
            builder.configFile(workingDirectory.resolve(configFile).normalize());
        }
        for (Map.Entry<ConfigKey<?>, Object> e : parsed.nodeValues().entrySet()) {
            Object value = e.getKey() == NodeConfigKeys.DATA_DIRECTORY ? home.resolve((Path) e.getValue()) : e.getValue();
            setUnchecked(builder, e.getKey(), value);
        }
        // The default data directory also lives under the installation, not the working directory.
        if (!parsed.nodeValues().containsKey(NodeConfigKeys.DATA_DIRECTORY)) {
            builder.set(NodeConfigKeys.DATA_DIRECTORY, home.resolve(NodeConfigKeys.DATA_DIRECTORY.defaultValue()));
        }
        for (ConfigOverride o : overrides) {
            Object value = parseFlag(o);
            if (o.key() == NodeConfigKeys.DATA_DIRECTORY) {
                value = workingDirectory.resolve((Path) value);
            }
            setUnchecked(builder, o.key(), value);
        }
        return builder.build();
    }

    private static Object parseFlag(ConfigOverride o) {
        try {
            return o.key().parse(o.text());
        } catch (BadValueException e) {
            String text = e.value() != null ? e.value() : o.text();
            throw ConfigException.invalidValue(o.flag(), null, text, e.expected());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void setUnchecked(BrokerConfig.Builder builder, ConfigKey<T> key, Object value) {
        builder.set(key, (T) value);
    }

    private String readFile(Path file) {
        Path p = workingDirectory.resolve(file);
        try {
            if (Files.isDirectory(p)) {
                throw new ConfigException("--config: '" + file + "' is a directory; expected a YAML file");
            }
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("--config: file '" + file + "' does not exist; expected a readable YAML file");
        } catch (IOException e) {
            throw new ConfigException("--config: cannot read '" + file + "': " + e.getMessage()
                    + "; expected a readable YAML file", e);
        }
    }

    /** The built-in default configuration's text. */
    public static String readDefault() {
        try (InputStream in = BrokerConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the class path: a broken build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }
}
