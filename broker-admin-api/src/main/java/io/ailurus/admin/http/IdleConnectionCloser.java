package io.ailurus.admin.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes keep-alive connections that stay idle (after an upstream {@code IdleStateHandler} says
 * so), so clients that never close cannot pile up file descriptors. A connection whose request is
 * still being served is left alone however long the backend takes: only the wait between
 * requests counts as idle.
 */
public final class IdleConnectionCloser extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(IdleConnectionCloser.class);

    // Event-loop confined: requests read minus responses fully written.
    private int inFlight;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            inFlight++;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            inFlight = Math.max(0, inFlight - 1);
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && inFlight == 0) {
            log.debug("closing idle admin connection {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
