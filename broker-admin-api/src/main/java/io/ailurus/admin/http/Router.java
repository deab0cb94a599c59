package io.ailurus.admin.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps a method and a path to a handler. Patterns are literal segments and {@code {name}}
 * captures, e.g. {@code /v1/brokers/{id}/decommission}; literal segments win over captures, so
 * {@code /v1/cluster_config/schema} is never read as a capture. A path that matches some pattern
 * under another method gives {@link Match.MethodNotAllowed} (405), no pattern at all gives
 * {@link Match.NotFound} (404).
 */
public final class Router {

    private final List<Route> routes = new ArrayList<>();

    /** Adds a route; a second route with the same method and pattern is a programming error. */
    public Router add(HttpMethod method, String pattern, RouteHandler handler) {
        Route route = new Route(method, Pattern.parse(pattern), pattern, handler);
        for (Route r : routes) {
            if (r.method.equals(method) && r.pattern.sameShape(route.pattern)) {
                throw new IllegalArgumentException("duplicate route " + method + " " + pattern);
            }
        }
        routes.add(route);
        return this;
    }

    public Router get(String pattern, RouteHandler h) {
        return add(HttpMethod.GET, pattern, h);
    }

    public Router put(String pattern, RouteHandler h) {
        return add(HttpMethod.PUT, pattern, h);
    }

    public Router post(String pattern, RouteHandler h) {
        return add(HttpMethod.POST, pattern, h);
    }

    /** Finds the route for {@code segments} (already split and percent-decoded). */
    public Match match(HttpMethod method, List<String> segments) {
        Route best = null;
        Map<String, String> bestParams = null;
        int bestScore = -1;
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = r.pattern.bind(segments);
            if (params == null) {
                continue;
            }
            int score = r.pattern.literalCount();
            if (!r.method.equals(method)) {
                allowed.add(r.method);
                continue;
            }
            if (score > bestScore) {
                best = r;
                bestParams = params;
                bestScore = score;
            }
        }
        if (best != null) {
            return new Match.Found(best.handler, best.template, bestParams);
        }
        if (!allowed.isEmpty()) {
            return new Match.MethodNotAllowed(allowed);
        }
        return new Match.NotFound();
    }

    /** The outcome of {@link #match}. */
    public sealed interface Match {
        /** @param template the route pattern, used as a low-cardinality metric tag */
        record Found(RouteHandler handler, String template, Map<String, String> params) implements Match {
        }

        record MethodNotAllowed(Set<HttpMethod> allowed) implements Match {
        }

        record NotFound() implements Match {
        }
    }

    private record Route(HttpMethod method, Pattern pattern, String template, RouteHandler handler) {
        Route {
            Objects.requireNonNull(handler);
        }
    }

    /** A parsed pattern: each segment is a literal or a capture (name without braces). */
    private record Pattern(List<String> segments, List<Boolean> captures) {

        static Pattern parse(String pattern) {
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("pattern must start with '/': " + pattern);
            }
            List<String> segs = new ArrayList<>();
            List<Boolean> caps = new ArrayList<>();
            for (String s : PathSegments.split(pattern)) {
                boolean capture = s.startsWith("{") && s.endsWith("}") && s.length() > 2;
                segs.add(capture ? s.substring(1, s.length() - 1) : s);
                caps.add(capture);
            }
            return new Pattern(List.copyOf(segs), List.copyOf(caps));
        }

        /** Parameter bindings if {@code path} matches, else null. */
        Map<String, String> bind(List<String> path) {
            if (path.size() != segments.size()) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < path.size(); i++) {
                if (captures.get(i)) {
                    if (path.get(i).isEmpty()) {
                        return null;
                    }
                    params.put(segments.get(i), path.get(i));
                } else if (!segments.get(i).equals(path.get(i))) {
                    return null;
                }
            }
            return params;
        }

        int literalCount() {
            int n = 0;
            for (boolean c : captures) {
                n += c ? 0 : 1;
            }
            return n;
        }

        boolean sameShape(Pattern other) {
            if (segments.size() != other.segments.size()) {
                return false;
            }
            for (int i = 0; i < segments.size(); i++) {
                boolean a = captures.get(i);
                boolean b = other.captures.get(i);
                if (a != b || (!a && !segments.get(i).equals(other.segments.get(i)))) {
                    return false;
                }
            }
            return true;
        }
    }
}
