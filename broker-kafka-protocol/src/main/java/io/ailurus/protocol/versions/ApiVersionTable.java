package io.ailurus.protocol.versions;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs this broker serves and their versions: the single source of truth for ApiVersions responses
 * and for the decoder's rejection of unsupported requests. Immutable.
 */
public final class ApiVersionTable {
    private final Map<ApiKeys, ApiVersionRange> ranges;

    private ApiVersionTable(Map<ApiKeys, ApiVersionRange> ranges) {
        this.ranges = Collections.unmodifiableMap(new EnumMap<>(ranges));
    }

    /**
     * The table for the APIs that have handlers, each with its {@link ApiVersionCatalog} range.
     *
     * @throws IllegalArgumentException if an API is not in the catalogue (its versions are unknown)
     */
    public static ApiVersionTable forApis(Collection<ApiKeys> apis) {
        Map<ApiKeys, ApiVersionRange> m = new EnumMap<>(ApiKeys.class);
        for (ApiKeys api : apis) {
            m.put(api, ApiVersionCatalog.rangeOf(api).orElseThrow(() -> new IllegalArgumentException(
                    api + " has a handler but no version range in ApiVersionCatalog")));
        }
        return new ApiVersionTable(m);
    }

    /** A table with explicit ranges (tests, or a broker that narrows a range). */
    public static ApiVersionTable of(Collection<ApiVersionRange> ranges) {
        Map<ApiKeys, ApiVersionRange> m = new EnumMap<>(ApiKeys.class);
        for (ApiVersionRange r : ranges) {
            if (m.put(r.api(), r) != null) {
                throw new IllegalArgumentException("two ranges for " + r.api());
            }
        }
        return new ApiVersionTable(m);
    }

    /** The range served for {@code api}, if the broker serves it at all. */
    public Optional<ApiVersionRange> rangeOf(ApiKeys api) {
        return Optional.ofNullable(ranges.get(api));
    }

    /** Whether a request for {@code api} at {@code version} is dispatched to a handler. */
    public boolean accepts(ApiKeys api, short version) {
        ApiVersionRange r = ranges.get(api);
        return r != null && r.accepts(version);
    }

    /** All served APIs in api-key order. */
    public Map<ApiKeys, ApiVersionRange> ranges() {
        return ranges;
    }

    /** The {@code api_keys} array of an ApiVersions response: every served API with its advertised range. */
    public ApiVersionCollection toApiVersions() {
        ApiVersionCollection out = new ApiVersionCollection(ranges.size());
        for (ApiVersionRange r : ranges.values()) {
            out.add(new ApiVersion().setApiKey(r.api().id).setMinVersion(r.advertisedMin()).setMaxVersion(r.maxVersion()));
        }
        return out;
    }

    /** A successful ApiVersions response body listing this table (features are the caller's to add). */
    public ApiVersionsResponseData toResponse() {
        return new ApiVersionsResponseData().setErrorCode((short) 0).setApiKeys(toApiVersions());
    }

    /**
     * The table as Markdown (the head of {@code docs/compatibility.md}, which a test keeps in step).
     */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | API | advertised | accepted |\n");
        sb.append("| ---: | --- | --- | --- |\n");
        for (ApiVersionRange r : ranges.values()) {
            sb.append("| ").append(r.api().id).append(" | ").append(r.api().name).append(" | ")
                    .append(r.advertisedMin()).append("..").append(r.maxVersion()).append(" | ")
                    .append(r.minVersion()).append("..").append(r.maxVersion()).append(" |\n");
        }
        return sb.toString();
    }

    /** "versions a..b" for log messages. */
    public static String describe(ApiVersionRange r) {
        return "versions " + r.minVersion() + ".." + r.maxVersion();
    }

    @Override
    public String toString() {
        return "ApiVersionTable" + ranges.values();
    }
}
