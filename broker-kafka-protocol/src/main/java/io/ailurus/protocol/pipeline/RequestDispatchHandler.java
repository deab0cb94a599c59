package io.ailurus.protocol.pipeline;

import io.ailurus.protocol.ErrorResponses;
import io.ailurus.protocol.KafkaRequest;
import io.ailurus.protocol.ProtocolConfig;
import io.ailurus.protocol.RequestDispatcher;
import io.ailurus.protocol.codec.KafkaResponseEncoder;
import io.ailurus.protocol.codec.OutboundResponse;
import io.ailurus.protocol.codec.ResponseRecords;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands decoded requests to the {@link RequestDispatcher} and writes the responses back <b>in request
 * order</b> per connection, whatever order the handlers complete in (Kafka clients match responses to
 * requests by position as well as correlation id).
 *
 * <p>Back-pressure: at most {@code maxInflightRequestsPerConnection} requests of a connection are
 * dispatched and unanswered; further decoded requests wait here undispatched, and the connection is not
 * read while any wait, while the limit is reached, or while the socket's outbound buffer is above its
 * high-water mark (a client that does not read its responses).
 *
 * <p>All state is confined to the connection's event loop; handlers' futures may complete anywhere.
 */
public final class RequestDispatchHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatchHandler.class);

    private final RequestDispatcher dispatcher;
    private final ProtocolConfig config;
    private final KafkaResponseEncoder encoder = new KafkaResponseEncoder();
    /** Dispatched (or answered by the decoder) and not yet written, in arrival order. */
    private final ArrayDeque<Slot> inflight = new ArrayDeque<>();
    /** Decoded but not dispatched because the in-flight limit was reached, in arrival order. */
    private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean inactive;
    private boolean processing;
    private boolean again;

    /**
     * @param dispatcher the broker
     * @param config     the in-flight limit and metrics
     */
    public RequestDispatchHandler(RequestDispatcher dispatcher, ProtocolConfig config) {
        this.dispatcher = dispatcher;
        this.config = config;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case KafkaRequest request -> waiting.add(new Slot(request, null));
            case OutboundResponse answered -> waiting.add(new Slot(null, answered));
            default -> {
                ctx.fireChannelRead(msg);
                return;
            }
        }
        process();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        // Never dispatched: nothing will complete them, release now.
        for (Slot s : waiting) {
            s.discard();
        }
        waiting.clear();
        // Dispatched ones are released as their handlers complete (process() drops them).
        process();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (inflight.isEmpty() && waiting.isEmpty()) {
                LOG.info("Closing idle Kafka connection from {} (no traffic for {})",
                        ctx.channel().remoteAddress(), config.connectionIdleTimeout());
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("Kafka connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("Closing Kafka connection from {} after an unexpected error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /** Dispatches what the limit allows and writes every response at the head that is ready, until stable. */
    private void process() {
        if (processing) {
            again = true; // a handler completed synchronously inside dispatch(): the running loop picks it up
            return;
        }
        processing = true;
        try {
            boolean progress;
            do {
                again = false;
                progress = dispatchWaiting() | writeCompletedHead();
            } while (progress || again);
        } finally {
            processing = false;
        }
        updateAutoRead();
    }

    private boolean dispatchWaiting() {
        boolean any = false;
        while (!inactive && !waiting.isEmpty() && inflight.size() < config.maxInflightRequestsPerConnection()) {
            Slot slot = waiting.poll();
            inflight.add(slot);
            if (slot.request != null) {
                start(slot);
            }
            any = true;
        }
        return any;
    }

    private void start(Slot slot) {
        CompletableFuture<? extends ApiMessage> future;
        try {
            future = dispatcher.dispatch(slot.request);
            if (future == null) {
                future = CompletableFuture.failedFuture(new IllegalStateException("dispatcher returned no future"));
            }
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((body, error) -> {
            slot.complete(body, error);
            if (ctx.executor().inEventLoop()) {
                process();
            } else {
                try {
                    ctx.executor().execute(this::process);
                } catch (RejectedExecutionException e) {
                    // The event loop is shutting down: nobody will write it, so give its buffers back here.
                    slot.discard();
                }
            }
        });
    }

    private boolean writeCompletedHead() {
        boolean wrote = false;
        boolean any = false;
        while (!inflight.isEmpty() && inflight.peek().done) {
            Slot slot = inflight.poll();
            any = true;
            if (inactive) {
                slot.discard();
                continue;
            }
            wrote |= write(slot);
        }
        if (wrote) {
            ctx.flush();
        }
        return any;
    }

    /** Encodes and writes one completed slot; false if nothing was written (acks=0, or failure). */
    private boolean write(Slot slot) {
        KafkaRequest request = slot.request;
        try {
            OutboundResponse response = slot.answered != null ? slot.answered : responseFor(slot);
            if (response == null) {
                return false;
            }
            List<Object> parts;
            try {
                parts = encoder.encode(ctx.alloc(), response);
            } catch (RuntimeException e) {
                if (request == null) {
                    throw e;
                }
                // The handler built a body this version cannot carry: a broker bug, but the client should
                // still get an answer it understands rather than a hang.
                LOG.error("Cannot encode the {} v{} response for {}; sending an error response instead",
                        response.api().name, response.version(), request, e);
                parts = encoder.encode(ctx.alloc(), new OutboundResponse(response.api(), response.version(),
                        response.correlationId(), ErrorResponses.forRequest(request, e), response.arrivalNanos()));
            }
            long bytes = KafkaResponseEncoder.bytesOf(parts);
            for (Object part : parts) {
                ctx.write(part, ctx.voidPromise());
            }
            config.metrics().responseSent(response.api(), response.version(), (int) bytes,
                    System.nanoTime() - response.arrivalNanos());
            return true;
        } catch (RuntimeException e) {
            LOG.error("Closing Kafka connection from {}: no response could be sent for {}",
                    ctx.channel().remoteAddress(), request != null ? request : slot.answered.api(), e);
            ctx.close();
            return false;
        } finally {
            if (request != null) {
                request.release();
            }
        }
    }

    private OutboundResponse responseFor(Slot slot) {
        KafkaRequest request = slot.request;
        ApiMessage body = slot.body;
        if (slot.error != null) {
            Throwable cause = unwrap(slot.error);
            if (cause instanceof ApiException) {
                LOG.debug("{} failed: {}", request, cause.toString());
            } else {
                LOG.warn("{} failed; answering with UNKNOWN_SERVER_ERROR", request, cause);
            }
            if (request.expectsNoResponse()) {
                // acks=0 has no response to carry the error: close, as Kafka does, so the client
                // reconnects and refreshes its metadata instead of producing into the void.
                LOG.info("Closing Kafka connection from {}: acks=0 produce failed: {}", ctx.channel().remoteAddress(),
                        cause.toString());
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return null;
            }
            body = ErrorResponses.forRequest(request, cause);
        } else if (body == null) {
            if (!request.expectsNoResponse()) {
                LOG.warn("Handler returned no response for {}; the client will time out", request);
            }
            return null;
        }
        return new OutboundResponse(request.apiKey(), request.apiVersion(), request.correlationId(), body,
                request.arrivalNanos());
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void updateAutoRead() {
        boolean read = !inactive && waiting.isEmpty()
                && inflight.size() < config.maxInflightRequestsPerConnection()
                && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    /** One request's place in the connection's response order. */
    private static final class Slot {
        final KafkaRequest request;
        final OutboundResponse answered;
        ApiMessage body;
        Throwable error;
        /** Written last by the completing thread; read by the event loop. */
        volatile boolean done;

        Slot(KafkaRequest request, OutboundResponse answered) {
            this.request = request;
            this.answered = answered;
            this.done = answered != null;
        }

        void complete(ApiMessage body, Throwable error) {
            this.body = body;
            this.error = error;
            this.done = true;
        }

        /** The response will not be sent: give back the request's buffer and the response's record slices. */
        void discard() {
            if (request != null) {
                request.release();
            }
            ResponseRecords.release(body);
        }
    }
}
