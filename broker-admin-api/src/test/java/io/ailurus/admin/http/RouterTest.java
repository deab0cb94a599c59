package io.ailurus.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final RouteHandler A = req -> AdminResponse.empty();
    private static final RouteHandler B = req -> AdminResponse.empty();
    private static final RouteHandler C = req -> AdminResponse.empty();

    @Test
    void literalSegmentsWinOverCapturesRegardlessOfOrder() {
        Router r = new Router().get("/v1/cluster_config/{x}", A).get("/v1/cluster_config/schema", B);
        Router.Match.Found schema = assertInstanceOf(Router.Match.Found.class,
                r.match(HttpMethod.GET, PathSegments.split("/v1/cluster_config/schema")));
        assertSame(B, schema.handler());
        Router.Match.Found other = assertInstanceOf(Router.Match.Found.class,
                r.match(HttpMethod.GET, PathSegments.split("/v1/cluster_config/status")));
        assertSame(A, other.handler());
        assertEquals(Map.of("x", "status"), other.params());
        assertEquals("/v1/cluster_config/{x}", other.template());
    }

    @Test
    void notFoundVersusMethodNotAllowed() {
        Router r = new Router().get("/v1/brokers/{id}", A).add(HttpMethod.DELETE, "/v1/brokers/{id}", C);
        assertInstanceOf(Router.Match.NotFound.class, r.match(HttpMethod.GET, PathSegments.split("/v1/brokers/1/x")));
        Router.Match.MethodNotAllowed na = assertInstanceOf(Router.Match.MethodNotAllowed.class,
                r.match(HttpMethod.PUT, PathSegments.split("/v1/brokers/1")));
        assertEquals(Set.of(HttpMethod.GET, HttpMethod.DELETE), na.allowed());
    }

    @Test
    void captureNeverMatchesAnEmptySegment() {
        Router r = new Router().get("/v1/partitions/{ns}/{topic}/{partition}", A);
        assertInstanceOf(Router.Match.NotFound.class,
                r.match(HttpMethod.GET, PathSegments.split("/v1/partitions/kafka//0")));
    }

    @Test
    void duplicateRoutesAreRejected() {
        Router r = new Router().get("/v1/brokers/{id}", A);
        assertThrows(IllegalArgumentException.class, () -> r.get("/v1/brokers/{other}", B));
        r.put("/v1/brokers/{id}", B); // same pattern, other method: fine
    }

    @Test
    void segmentsAreDecodedAfterSplitting() {
        assertEquals(List.of("v1", "partitions", "kafka", "a/b", "0"),
                PathSegments.split("/v1/partitions/kafka/a%2Fb/0"));
        assertEquals(List.of("v1", "brokers"), PathSegments.split("/v1/brokers/"));
        assertEquals(List.of(), PathSegments.split("/"));
    }
}
