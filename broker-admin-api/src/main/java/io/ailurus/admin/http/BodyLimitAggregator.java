package io.ailurus.admin.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates request bodies up to a limit and answers larger ones with a JSON 413 instead of
 * Netty's empty one, so clients see the same error shape as for every other failure.
 */
public final class BodyLimitAggregator extends HttpObjectAggregator {

    private final int maxBodyBytes;

    public BodyLimitAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * With {@code Expect: 100-continue} (curl sends it for bodies over 1 MiB) Netty refuses an
     * oversized body before it is sent, with an empty 413 or 417; give those the JSON error body.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.CLIENT_ERROR) {
            int code = r.status().code();
            ReferenceCountUtil.release(response);
            String message = code == 413
                    ? "Request body too large: the limit is " + maxBodyBytes + " bytes"
                    : "Unsupported expectation: " + start.headers().get(HttpHeaderNames.EXPECT);
            return ResponseWriter.toNetty(ErrorResponses.of(code, message));
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest request)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        AdminResponse error = ErrorResponses.of(413,
                "Request body too large: the limit is " + maxBodyBytes + " bytes");
        // The aggregator discards the rest of a streamed body, so a keep-alive connection stays
        // usable; a body already fully read (or a client that will not keep the connection)
        // leaves nothing to resynchronise on, so close.
        boolean close = oversized instanceof FullHttpMessage
                || (!HttpUtil.is100ContinueExpected(request) && !HttpUtil.isKeepAlive(request));
        ResponseWriter.write(ctx, ResponseWriter.toNetty(error), close);
    }
}
