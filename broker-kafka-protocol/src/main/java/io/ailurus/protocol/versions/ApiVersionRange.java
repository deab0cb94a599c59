package io.ailurus.protocol.versions;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The versions of one API the broker accepts, and the minimum it advertises in ApiVersions responses.
 *
 * <p>The two minimums differ only for compatibility quirks that Kafka itself has: Kafka 4.x removed
 * Produce v0-2 but still advertises Produce v0, because librdkafka treats a Produce minimum above 0 as
 * "the broker cannot produce" (KAFKA-18659). Requests below {@link #minVersion()} are still rejected.
 *
 * @param api              the API
 * @param advertisedMin    the minimum version put in ApiVersions responses
 * @param minVersion       the lowest version accepted
 * @param maxVersion       the highest version accepted and advertised
 */
public record ApiVersionRange(ApiKeys api, short advertisedMin, short minVersion, short maxVersion) {
    public ApiVersionRange {
        if (minVersion > maxVersion || advertisedMin > minVersion || advertisedMin < 0) {
            throw new IllegalArgumentException(api + ": bad version range advertised " + advertisedMin
                    + ", accepted " + minVersion + ".." + maxVersion);
        }
        // The generated classes are what parses and writes every version: a version they do not know
        // could be advertised but never served.
        if (minVersion < api.messageType.lowestSupportedVersion()
                || maxVersion > api.messageType.highestSupportedVersion(true)) {
            throw new IllegalArgumentException(api + ": versions " + minVersion + ".." + maxVersion
                    + " outside what kafka-clients can encode (" + api.messageType.lowestSupportedVersion()
                    + ".." + api.messageType.highestSupportedVersion(true) + ")");
        }
    }

    /** A range advertised exactly as accepted. */
    public static ApiVersionRange of(ApiKeys api, int minVersion, int maxVersion) {
        return new ApiVersionRange(api, (short) minVersion, (short) minVersion, (short) maxVersion);
    }

    /** Whether a request of {@code version} is served. */
    public boolean accepts(short version) {
        return version >= minVersion && version <= maxVersion;
    }
}
