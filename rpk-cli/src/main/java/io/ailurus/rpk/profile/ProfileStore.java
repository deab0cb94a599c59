package io.ailurus.rpk.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.ailurus.rpk.RpkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rpk profile file ({@code ~/.config/rpk/rpk.yaml}, Redpanda's location and key names):
 * named connection settings and which one is current. Written atomically (temp file, rename) so
 * an interrupted save never leaves half a file.
 */
public final class ProfileStore {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);

    /** The file's contents. */
    public static final class File {
        @JsonProperty("current_profile")
        public String currentProfile;
        public List<Profile> profiles = new ArrayList<>();
    }

    /** One profile; key names follow Redpanda's rpk.yaml. */
    public static final class Profile {
        public String name;
        public String description;
        @JsonProperty("kafka_api")
        public KafkaApi kafkaApi = new KafkaApi();
        @JsonProperty("admin_api")
        public AdminApi adminApi = new AdminApi();
    }

    public static final class KafkaApi {
        public List<String> brokers = new ArrayList<>();
    }

    public static final class AdminApi {
        public List<String> addresses = new ArrayList<>();
    }

    private final Path path;

    public ProfileStore(Path path) {
        this.path = path;
    }

    /** {@code --config} if given, else {@code $RPK_CONFIG}, else {@code ~/.config/rpk/rpk.yaml}. */
    public static ProfileStore locate(String flag, Map<String, String> env) {
        if (flag != null && !flag.isBlank()) {
            return new ProfileStore(Path.of(flag));
        }
        String fromEnv = env.get("RPK_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new ProfileStore(Path.of(fromEnv));
        }
        return new ProfileStore(Path.of(System.getProperty("user.home"), ".config", "rpk", "rpk.yaml"));
    }

    public Path path() {
        return path;
    }

    public File load() {
        if (!Files.exists(path)) {
            return new File();
        }
        try {
            File f = YAML.readValue(path.toFile(), File.class);
            return f == null ? new File() : f;
        } catch (IOException e) {
            throw new RpkException("cannot read rpk profile file " + path + ": " + e.getMessage());
        }
    }

    public void save(File f) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            YAML.writeValue(tmp.toFile(), f);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RpkException("cannot write rpk profile file " + path + ": " + e.getMessage());
        }
    }

    /** The named profile, or the current one when {@code name} is null. */
    public Optional<Profile> find(File f, String name) {
        String wanted = name != null ? name : f.currentProfile;
        if (wanted == null) {
            return Optional.empty();
        }
        return f.profiles.stream().filter(p -> wanted.equals(p.name)).findFirst();
    }

    /** The profile's connection values in {@code -X} key form, for {@link io.ailurus.rpk.Settings}. */
    public static Map<String, List<String>> values(Profile p) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (p != null) {
            out.put("brokers", p.kafkaApi.brokers);
            out.put("admin.hosts", p.adminApi.addresses);
        }
        return out;
    }
}
