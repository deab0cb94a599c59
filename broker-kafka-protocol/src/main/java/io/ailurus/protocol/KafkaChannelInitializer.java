package io.ailurus.protocol;

import io.ailurus.protocol.codec.KafkaFrameDecoder;
import io.ailurus.protocol.codec.KafkaRequestDecoder;
import io.ailurus.protocol.pipeline.RequestDispatchHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Installs the Kafka protocol pipeline on an accepted connection: idle timeout, framing, request
 * decoding, dispatch and in-order response writing. The broker plugs it into its own server bootstrap
 * ({@code childHandler(new KafkaChannelInitializer(config, dispatcher))}); nothing here binds sockets.
 */
public final class KafkaChannelInitializer extends ChannelInitializer<Channel> {
    private final ProtocolConfig config;
    private final RequestDispatcher dispatcher;

    /**
     * @param config     limits and metrics
     * @param dispatcher the broker; its version table decides what is served
     */
    public KafkaChannelInitializer(ProtocolConfig config, RequestDispatcher dispatcher) {
        this.config = config;
        this.dispatcher = dispatcher;
        if (dispatcher.versionTable().rangeOf(org.apache.kafka.common.protocol.ApiKeys.API_VERSIONS).isEmpty()) {
            // Every client starts with ApiVersions; a broker without it cannot be used by anyone.
            throw new IllegalArgumentException("the dispatcher's version table does not serve ApiVersions");
        }
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        long idleMillis = config.connectionIdleTimeout().toMillis();
        if (idleMillis > 0) {
            p.addLast("kafka-idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
        }
        p.addLast("kafka-frame", new KafkaFrameDecoder(config.maxRequestBytes(), config.metrics()));
        p.addLast("kafka-request", new KafkaRequestDecoder(dispatcher.versionTable(), config.metrics()));
        p.addLast("kafka-dispatch", new RequestDispatchHandler(dispatcher, config));
    }
}
