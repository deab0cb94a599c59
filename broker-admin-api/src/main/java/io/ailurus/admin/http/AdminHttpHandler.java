package io.ailurus.admin.http;

import io.ailurus.admin.backend.AdminApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches each aggregated request to its route and writes the answer. Runs on the server's
 * handler executor, not on the event loop, because backends may block (controller writes,
 * leadership transfers).
 */
@ChannelHandler.Sharable
public final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);
    private static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.POST,
            HttpMethod.DELETE, HttpMethod.HEAD, HttpMethod.PATCH, HttpMethod.OPTIONS);
    private static final String REQUEST_TIMER = "ailurus.admin.http.requests";

    private final Router router;
    private final MeterRegistry registry;

    /** @param registry where per-route request timings go (the internal registry) */
    public AdminHttpHandler(Router router, MeterRegistry registry) {
        this.router = router;
        this.registry = registry;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long start = System.nanoTime();
        Outcome outcome = dispatch(request);
        AdminResponse response = outcome.response();
        FullHttpResponse out = ResponseWriter.toNetty(response);
        if (outcome.allow() != null) {
            out.headers().set(HttpHeaderNames.ALLOW, outcome.allow());
        }
        boolean close = !HttpUtil.isKeepAlive(request) || request.decoderResult().isFailure();
        ResponseWriter.write(ctx, out, close);
        Timer.builder(REQUEST_TIMER)
                .description("Admin API requests served, by route pattern, method and status")
                .tag("route", outcome.route())
                .tag("method", KNOWN_METHODS.contains(request.method()) ? request.method().name() : "OTHER")
                .tag("status", Integer.toString(response.status().code()))
                .register(registry)
                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** @param route pattern for the metric tag; @param allow Allow header for a 405, else null */
    private record Outcome(AdminResponse response, String route, String allow) {
        static Outcome unmatched(AdminResponse r) {
            return new Outcome(r, "unmatched", null);
        }
    }

    private Outcome dispatch(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            return Outcome.unmatched(ErrorResponses.of(400,
                    "Malformed HTTP request: " + (cause == null ? "unknown" : cause.getMessage())));
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        List<String> segments;
        java.util.Map<String, List<String>> query;
        try {
            segments = PathSegments.split(uri.rawPath());
            query = uri.parameters();
        } catch (IllegalArgumentException e) {
            // Bad percent-encoding in the path or the query string.
            return Outcome.unmatched(ErrorResponses.of(400, "Malformed request URI: " + e.getMessage()));
        }
        Router.Match match = router.match(request.method(), segments);
        switch (match) {
            case Router.Match.NotFound nf -> {
                return Outcome.unmatched(ErrorResponses.of(404, "Not found: " + uri.rawPath()));
            }
            case Router.Match.MethodNotAllowed na -> {
                String allow = na.allowed().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
                return new Outcome(ErrorResponses.of(405, "Method " + request.method() + " not allowed on "
                        + uri.rawPath() + "; allowed: " + allow), "unmatched", allow);
            }
            case Router.Match.Found found -> {
                byte[] body = ByteBufUtil.getBytes(request.content());
                AdminRequest req = new AdminRequest(request.method(), uri.rawPath(), found.params(), query, body);
                return new Outcome(invoke(found.handler(), req), found.template(), null);
            }
        }
    }

    private static AdminResponse invoke(RouteHandler handler, AdminRequest req) {
        try {
            return handler.handle(req);
        } catch (AdminApiException e) {
            return ErrorResponses.of(e);
        } catch (Exception e) {
            log.warn("admin API {} {} failed", req.method(), req.path(), e);
            return ErrorResponses.of(500, "Internal error: " + e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin API connection {} failed; closing", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
