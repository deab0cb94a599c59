package io.ailurus.protocol;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A real Netty server on 127.0.0.1 with an ephemeral port, running the protocol pipeline. */
final class TestServer implements AutoCloseable {
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final Channel server;

    TestServer(ProtocolConfig config, RequestDispatcher dispatcher) throws InterruptedException {
        server = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new KafkaChannelInitializer(config, dispatcher))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String bootstrap() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() throws InterruptedException {
        server.close().await(10, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
