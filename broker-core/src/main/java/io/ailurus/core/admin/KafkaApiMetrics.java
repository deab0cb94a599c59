package io.ailurus.core.admin;

import io.ailurus.admin.metrics.KafkaRequestKind;
import io.ailurus.admin.metrics.PublicMetrics;
import io.ailurus.protocol.ProtocolMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The protocol layer's accounting hooks backed by Micrometer: per Kafka API, requests, request and
 * response bytes and a latency histogram on the internal registry ({@code /metrics}), and the
 * public produce/consume latency histogram. Meters are created the first time an API is seen, then
 * reused from an array indexed by API key, so the hot path is a load and an increment.
 */
final class KafkaApiMetrics implements ProtocolMetrics {
    private final MeterRegistry internal;
    private final PublicMetrics publicMetrics;
    private final AtomicReferenceArray<ApiMeters> byApi = new AtomicReferenceArray<>(Short.MAX_VALUE + 1);
    private final ConcurrentHashMap<String, Counter> rejected = new ConcurrentHashMap<>();

    private record ApiMeters(Counter requests, Counter requestBytes, Counter responseBytes, Timer latency) {}

    KafkaApiMetrics(MeterRegistry internal, PublicMetrics publicMetrics) {
        this.internal = internal;
        this.publicMetrics = publicMetrics;
    }

    @Override
    public void requestReceived(ApiKeys api, short version, int bytes) {
        ApiMeters m = meters(api);
        m.requests().increment();
        m.requestBytes().increment(bytes);
    }

    @Override
    public void responseSent(ApiKeys api, short version, int bytes, long latencyNanos) {
        ApiMeters m = meters(api);
        m.responseBytes().increment(bytes);
        m.latency().record(latencyNanos, TimeUnit.NANOSECONDS);
        if (api == ApiKeys.PRODUCE) {
            publicMetrics.kafkaRequestLatency(KafkaRequestKind.PRODUCE).record(latencyNanos, TimeUnit.NANOSECONDS);
        } else if (api == ApiKeys.FETCH) {
            publicMetrics.kafkaRequestLatency(KafkaRequestKind.CONSUME).record(latencyNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void connectionRejected(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder("ailurus.kafka.connections.rejected")
            .description("Kafka connections closed because of what the client sent")
            .tag("reason", r)
            .register(internal)).increment();
    }

    private ApiMeters meters(ApiKeys api) {
        ApiMeters m = byApi.get(api.id);
        if (m != null) {
            return m;
        }
        String name = api.name().toLowerCase(java.util.Locale.ROOT);
        m = new ApiMeters(
            Counter.builder("ailurus.kafka.api.requests").description("Kafka requests received, per API")
                .tag("api", name).register(internal),
            Counter.builder("ailurus.kafka.api.request.bytes").description("Kafka request bytes received, per API")
                .baseUnit("bytes").tag("api", name).register(internal),
            Counter.builder("ailurus.kafka.api.response.bytes").description("Kafka response bytes sent, per API")
                .baseUnit("bytes").tag("api", name).register(internal),
            Timer.builder("ailurus.kafka.api.latency").description("Time from a request's arrival to its response, per API")
                .serviceLevelObjectives(PublicMetrics.LATENCY_BUCKETS).tag("api", name).register(internal));
        // Two threads may race to create the meters; Micrometer hands both the same ones.
        byApi.compareAndSet(api.id, null, m);
        return byApi.get(api.id);
    }
}
