package io.ailurus.admin;

import io.ailurus.admin.backend.AdminBackend;
import io.ailurus.admin.http.AdminHttpHandler;
import io.ailurus.admin.http.BodyLimitAggregator;
import io.ailurus.admin.http.IdleConnectionCloser;
import io.netty.handler.timeout.IdleStateHandler;
import io.ailurus.admin.http.Router;
import io.ailurus.admin.logging.LoggerControl;
import io.ailurus.admin.metrics.AdminMetrics;
import io.ailurus.admin.routes.BrokerRoutes;
import io.ailurus.admin.routes.ClusterConfigRoutes;
import io.ailurus.admin.routes.ClusterHealthRoutes;
import io.ailurus.admin.routes.FeatureRoutes;
import io.ailurus.admin.routes.LoggerRoutes;
import io.ailurus.admin.routes.MetricsRoutes;
import io.ailurus.admin.routes.PartitionRoutes;
import io.ailurus.admin.routes.StatusRoutes;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API (port 9644): Redpanda-shaped JSON routes over an {@link AdminBackend},
 * runtime log levels, and Prometheus metrics. HTTP/1.1 with keep-alive on Netty's codec; one
 * event loop (admin traffic is light) and a small handler pool, so a slow backend call never
 * stalls the loop.
 *
 * <pre>{@code
 * AdminMetrics metrics = AdminMetrics.create(version, revision);
 * try (AdminServer admin = AdminServer.start(AdminServerOptions.of("0.0.0.0", 9644), backend,
 *         metrics, LogbackLoggerControl.forCurrentBinding())) { ... }
 * }</pre>
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final EventExecutorGroup handlers;
    private final LoggerControl loggers;
    private final Channel channel;
    private final ChannelGroup connections;
    private volatile boolean closed;

    private AdminServer(EventLoopGroup boss, EventLoopGroup workers, EventExecutorGroup handlers,
                        LoggerControl loggers, Channel channel, ChannelGroup connections) {
        this.boss = boss;
        this.workers = workers;
        this.handlers = handlers;
        this.loggers = loggers;
        this.channel = channel;
        this.connections = connections;
    }

    /**
     * Binds and starts serving. The server owns {@code loggers} (closes it); {@code metrics}
     * stays the caller's, since the broker records into it before and after the server runs.
     *
     * @throws java.io.IOException if the address cannot be bound (e.g. port in use)
     */
    public static AdminServer start(AdminServerOptions options, AdminBackend backend, AdminMetrics metrics,
                                    LoggerControl loggers) throws java.io.IOException, InterruptedException {
        Router router = new Router();
        new StatusRoutes(backend).register(router);
        new BrokerRoutes(backend).register(router);
        new ClusterHealthRoutes(backend).register(router);
        new ClusterConfigRoutes(backend).register(router);
        new PartitionRoutes(backend, backend).register(router);
        new FeatureRoutes(backend).register(router);
        new LoggerRoutes(loggers).register(router);
        new MetricsRoutes(metrics).register(router);
        AdminHttpHandler handler = new AdminHttpHandler(router, metrics.internalRegistry());

        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("ailurus-admin-accept", true));
        EventLoopGroup workers = new NioEventLoopGroup(1, new DefaultThreadFactory("ailurus-admin-io", true));
        EventExecutorGroup handlers = new DefaultEventExecutorGroup(options.handlerThreads(),
                new DefaultThreadFactory("ailurus-admin-handler", true));
        // Tracks open client connections so close() can close them before stopping the threads.
        ChannelGroup connections = new DefaultChannelGroup("ailurus-admin", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0,
                                        options.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast("codec", new HttpServerCodec())
                                .addLast("idle-close", new IdleConnectionCloser())
                                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                                .addLast("aggregate", new BodyLimitAggregator(options.maxRequestBodyBytes()))
                                .addLast(handlers, "admin", handler);
                    }
                });
        try {
            Channel channel = bootstrap.bind(options.host(), options.port()).sync().channel();
            AdminServer server = new AdminServer(boss, workers, handlers, loggers, channel, connections);
            log.info("admin API listening on {}", server.address());
            return server;
        } catch (Exception e) {
            shutdown(boss, workers, handlers);
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new java.io.IOException("cannot bind admin API to " + options.host() + ":" + options.port()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops listening, closes connections and stops the threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        channel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        shutdown(boss, workers, handlers);
        loggers.close();
        log.info("admin API stopped");
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers, EventExecutorGroup handlers) {
        // A closing pipeline hops between the I/O loop and the handler executor to tear down its
        // handlers; stopping all three together with a short quiet period lets those hops finish
        // instead of being rejected by an already-terminated executor.
        var futures = java.util.List.of(
                boss.shutdownGracefully(QUIET_MILLIS, 2000, TimeUnit.MILLISECONDS),
                workers.shutdownGracefully(QUIET_MILLIS, 2000, TimeUnit.MILLISECONDS),
                handlers.shutdownGracefully(QUIET_MILLIS, 2000, TimeUnit.MILLISECONDS));
        futures.forEach(f -> f.awaitUninterruptibly());
    }

    private static final long QUIET_MILLIS = 50;
}
