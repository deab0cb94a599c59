package io.ailurus.rpk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where rpk connects, resolved as Redpanda's rpk resolves it: {@code -X} flags first, then the
 * {@code RPK_BROKERS} / {@code RPK_ADMIN_HOSTS} environment, then the current rpk profile, then
 * the local defaults ({@code 127.0.0.1:9092}, {@code 127.0.0.1:9644}).
 */
public record Settings(List<String> brokers, List<String> adminHosts) {
    public static final String DEFAULT_BROKER = "127.0.0.1:9092";
    public static final String DEFAULT_ADMIN = "127.0.0.1:9644";

    /** The {@code -X} keys rpk understands. */
    public static final List<String> KEYS = List.of("brokers", "admin.hosts");

    /**
     * @param overrides {@code -X key=value} pairs, already split
     * @param env the process environment
     * @param profile the current profile's values (may be empty)
     */
    public static Settings resolve(Map<String, String> overrides, Map<String, String> env, Map<String, List<String>> profile) {
        return new Settings(
            pick(overrides.get("brokers"), env.get("RPK_BROKERS"), profile.get("brokers"), DEFAULT_BROKER),
            pick(overrides.get("admin.hosts"), env.get("RPK_ADMIN_HOSTS"), profile.get("admin.hosts"), DEFAULT_ADMIN));
    }

    private static List<String> pick(String flag, String env, List<String> profile, String fallback) {
        if (flag != null && !flag.isBlank()) {
            return split(flag);
        }
        if (env != null && !env.isBlank()) {
            return split(env);
        }
        if (profile != null && !profile.isEmpty()) {
            return List.copyOf(profile);
        }
        return List.of(fallback);
    }

    /** {@code a:1, b:2} to {@code [a:1, b:2]}; each must be HOST:PORT. */
    public static List<String> split(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : Arrays.asList(csv.split(","))) {
            String t = s.trim();
            if (t.isEmpty()) {
                continue;
            }
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1 || !t.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new RpkException("invalid address '" + t + "': expected HOST:PORT");
            }
            out.add(t);
        }
        if (out.isEmpty()) {
            throw new RpkException("empty address list '" + csv + "'");
        }
        return out;
    }
}
