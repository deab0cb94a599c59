package io.ailurus.admin.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.ailurus.admin.backend.AdminApiException;
import io.ailurus.admin.backend.ClusterConfigPatch;
import io.ailurus.admin.backend.ConfigBackend;
import io.ailurus.admin.http.AdminRequest;
import io.ailurus.admin.http.AdminResponse;
import io.ailurus.admin.http.Json;
import io.ailurus.admin.http.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code /v1/cluster_config} (get, patch, schema, status) and {@code /v1/node_config}. This class
 * checks the request's shape; property names and values are the backend's to judge.
 */
public final class ClusterConfigRoutes {

    private static final Set<String> PATCH_FIELDS = Set.of("upsert", "remove");

    private final ConfigBackend config;

    public ClusterConfigRoutes(ConfigBackend config) {
        this.config = config;
    }

    public void register(Router router) {
        router.get("/v1/cluster_config", this::get);
        router.put("/v1/cluster_config", this::put);
        router.get("/v1/cluster_config/schema",
                req -> AdminResponse.ok(Map.of("properties", new TreeMap<>(config.clusterConfigSchema()))));
        router.get("/v1/cluster_config/status", req -> AdminResponse.ok(config.clusterConfigStatus()));
        router.get("/v1/node_config", req -> AdminResponse.ok(new TreeMap<>(config.nodeConfig())));
    }

    private AdminResponse get(AdminRequest req) {
        var key = req.query("key");
        boolean includeDefaults = req.queryBool("include_defaults", true);
        Map<String, Object> values = new TreeMap<>(config.clusterConfig(key.isPresent() || includeDefaults));
        if (key.isEmpty()) {
            return AdminResponse.ok(values);
        }
        if (!values.containsKey(key.get())) {
            throw AdminApiException.badRequest("Unknown property '" + key.get() + "'");
        }
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(key.get(), values.get(key.get()));
        return AdminResponse.ok(one);
    }

    private AdminResponse put(AdminRequest req) {
        JsonNode body = req.jsonBody();
        if (!body.isObject()) {
            throw AdminApiException.badRequest(
                    "Expected a JSON object {\"upsert\": {...}, \"remove\": [...]}, got " + body.getNodeType());
        }
        for (var entry : body.properties()) {
            String field = entry.getKey();
            if (!PATCH_FIELDS.contains(field)) {
                throw AdminApiException.badRequest("Unknown field '" + field + "': expected upsert and/or remove");
            }
        }
        Map<String, Object> upsert = upsert(body.get("upsert"));
        List<String> remove = remove(body.get("remove"));
        for (String name : remove) {
            if (upsert.containsKey(name)) {
                throw AdminApiException.badRequest("Property '" + name + "' is in both upsert and remove");
            }
        }
        ClusterConfigPatch patch = new ClusterConfigPatch(upsert, remove,
                req.queryBool("dry_run", false), req.queryBool("force", false));
        long version = config.applyClusterConfig(patch);
        return AdminResponse.ok(Map.of("config_version", version));
    }

    private static Map<String, Object> upsert(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw AdminApiException.badRequest("'upsert' must be an object of property name to value, got "
                    + node.getNodeType());
        }
        for (var e : node.properties()) {
            out.put(e.getKey(), e.getValue().isNull() ? null : Json.mapper().convertValue(e.getValue(), Object.class));
        }
        return out;
    }

    private static List<String> remove(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw AdminApiException.badRequest("'remove' must be an array of property names, got " + node.getNodeType());
        }
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw AdminApiException.badRequest("'remove' must contain property names (strings), got " + n);
            }
            out.add(n.asText());
        }
        return out;
    }
}
