package io.ailurus.admin.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The broker's two Prometheus registries, as Redpanda has two endpoints:
 * <ul>
 *   <li>public ({@code /public_metrics}): only the stable, documented {@code ailurus_*} meters
 *       created through {@link #publicMetrics()}; dashboards and alerts are built on these;</li>
 *   <li>internal ({@code /metrics}): JVM, process and admin-server meters plus whatever
 *       internal detail broker modules register on {@link #internalRegistry()}; names there may
 *       change between releases.</li>
 * </ul>
 * Create one per broker process and close it on shutdown (the GC binder holds JMX listeners).
 */
public final class AdminMetrics implements AutoCloseable {

    /** Micrometer name prefix of every public meter; Prometheus shows it as {@code ailurus_}. */
    public static final String PUBLIC_PREFIX = "ailurus.";

    private final PrometheusMeterRegistry publicRegistry;
    private final PrometheusMeterRegistry internalRegistry;
    private final PublicMetrics publicMetrics;
    private final JvmGcMetrics gcMetrics;

    private AdminMetrics(String version, String revision) {
        publicRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The public endpoint is a contract: refuse anything not created under our prefix, so a
        // stray binder can never leak unstable names into dashboards.
        publicRegistry.config().meterFilter(MeterFilter.denyUnless(id -> id.getName().startsWith(PUBLIC_PREFIX)));
        internalRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(internalRegistry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(internalRegistry);
        new JvmThreadMetrics().bindTo(internalRegistry);
        new ClassLoaderMetrics().bindTo(internalRegistry);
        new ProcessorMetrics().bindTo(internalRegistry);
        new UptimeMetrics().bindTo(internalRegistry);
        publicMetrics = new PublicMetrics(publicRegistry, version, revision);
    }

    /**
     * @param version the broker version shown in {@code ailurus_application_build}
     * @param revision the source revision (git hash), or {@code "unknown"}
     */
    public static AdminMetrics create(String version, String revision) {
        return new AdminMetrics(version, revision);
    }

    /** Typed handles for the documented public meters. */
    public PublicMetrics publicMetrics() {
        return publicMetrics;
    }

    /** Backs {@code /public_metrics}; accepts only {@code ailurus.*} meter names. */
    public PrometheusMeterRegistry publicRegistry() {
        return publicRegistry;
    }

    /** Backs {@code /metrics}; register internal detail here freely. */
    public PrometheusMeterRegistry internalRegistry() {
        return internalRegistry;
    }

    /** Prometheus text exposition (format 0.0.4) of the public registry. */
    public String scrapePublic() {
        return publicRegistry.scrape();
    }

    /** Prometheus text exposition (format 0.0.4) of the internal registry. */
    public String scrapeInternal() {
        return internalRegistry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        publicMetrics.close();
        publicRegistry.close();
        internalRegistry.close();
    }
}
