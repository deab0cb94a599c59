package io.ailurus.admin.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code PUT /v1/cluster_config} request: properties to set and properties to reset to their
 * defaults. The server has already checked the shape (no property in both lists); the backend
 * checks names and values.
 *
 * @param upsert property name to new value (JSON-decoded: String, Number, Boolean, List, Map, or
 *     null)
 * @param remove properties to reset to defaults
 * @param dryRun validate only, apply nothing
 * @param force the operator asked to skip validation (Redpanda's {@code ?force=1}); backends may
 *     refuse to honour it
 */
public record ClusterConfigPatch(Map<String, Object> upsert, List<String> remove, boolean dryRun, boolean force) {

    public ClusterConfigPatch {
        // Values may be JSON null, which Map.copyOf rejects.
        upsert = Collections.unmodifiableMap(new LinkedHashMap<>(upsert));
        remove = List.copyOf(remove);
    }
}
