package io.ailurus.admin.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns an {@link AdminResponse} into a Netty response with an exact Content-Length. */
final class ResponseWriter {

    private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);

    private ResponseWriter() {
    }

    static FullHttpResponse toNetty(AdminResponse response) {
        byte[] body;
        AdminResponse r = response;
        try {
            body = r.bodyBytes();
        } catch (Exception e) {
            // A body we cannot serialise is our bug, not the caller's; answer 500 rather than hang up.
            log.warn("cannot serialise admin API response", e);
            r = ErrorResponses.of(500, "Internal error serialising the response");
            body = "{\"message\":\"Internal error serialising the response\",\"code\":500}".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), Unpooled.wrappedBuffer(body));
        if (r.contentType() != null) {
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return out;
    }

    /** Writes and, when {@code close} is set, closes the connection after the response is out. */
    static ChannelFuture write(ChannelHandlerContext ctx, FullHttpResponse response, boolean close) {
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture f = ctx.writeAndFlush(response);
        if (close) {
            f.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }
        return f;
    }
}
