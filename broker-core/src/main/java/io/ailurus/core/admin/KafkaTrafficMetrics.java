package io.ailurus.core.admin;

import io.ailurus.admin.metrics.KafkaRequestKind;
import io.ailurus.admin.metrics.PublicMetrics;
import io.ailurus.core.kafka.RequestObserver;
import io.ailurus.core.metadata.MetadataImage;
import io.ailurus.core.metadata.TopicInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;

/**
 * Bytes and records produced and fetched, per topic (internal) and in total (public), requests
 * answered with an error per API, and every error code each API answers with (top-level and per
 * partition). Produce is measured from the request (read before the handler runs) and counted only
 * for partitions the response reports as written; fetch is measured from the response.
 */
final class KafkaTrafficMetrics implements RequestObserver {
    private final MeterRegistry internal;
    private final PublicMetrics publicMetrics;
    private final Supplier<MetadataImage> image;
    private final ConcurrentHashMap<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ApiKeys, Counter> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ApiKeys, ConcurrentHashMap<Errors, Counter>> errorCodes = new ConcurrentHashMap<>();
    private final ResponseErrorCodes responseErrors = new ResponseErrorCodes();

    private record TopicMeters(Counter producedBytes, Counter producedRecords, Counter fetchedBytes, Counter fetchedRecords) {}

    /** One partition's share of a produce request. */
    private record Part(String topic, int bytes, long records) {}

    KafkaTrafficMetrics(MeterRegistry internal, PublicMetrics publicMetrics, Supplier<MetadataImage> image) {
        this.internal = internal;
        this.publicMetrics = publicMetrics;
        this.image = image;
    }

    @Override
    public Observation start(ApiKeys api, ApiMessage request) {
        if (api == ApiKeys.PRODUCE) {
            return produce((ProduceRequestData) request);
        }
        if (api == ApiKeys.FETCH) {
            return new Observation() {
                @Override
                public void completed(ApiMessage response) {
                    fetched((FetchResponseData) response);
                }

                @Override
                public void failed(Throwable error) {
                    failure(ApiKeys.FETCH, KafkaRequestKind.CONSUME);
                }
            };
        }
        return new Observation() {
            @Override
            public void completed(ApiMessage response) {
                if (response == null) {
                    return;
                }
                Map<Errors, Integer> codes = responseErrors.errors(api, response);
                if (!codes.isEmpty()) {
                    error(api, null);
                    codes.forEach((code, n) -> errorCode(api, code, n));
                }
            }

            @Override
            public void failed(Throwable error) {
                failure(api, null);
            }
        };
    }

    private Observation produce(ProduceRequestData request) {
        List<Part> parts = new ArrayList<>();
        for (var t : request.topicData()) {
            String topic = topicName(t.name(), t.topicId());
            for (var p : t.partitionData()) {
                BaseRecords r = p.records();
                parts.add(new Part(topic, r == null ? 0 : r.sizeInBytes(), r == null ? 0 : BatchCounts.records(r)));
            }
        }
        return new Observation() {
            @Override
            public void completed(ApiMessage response) {
                produced(parts, (ProduceResponseData) response);
            }

            @Override
            public void failed(Throwable error) {
                failure(ApiKeys.PRODUCE, KafkaRequestKind.PRODUCE);
            }
        };
    }

    private void produced(List<Part> parts, ProduceResponseData response) {
        List<Boolean> written = new ArrayList<>();
        boolean anyError = false;
        if (response != null) {
            for (var t : response.responses()) {
                for (var p : t.partitionResponses()) {
                    boolean ok = p.errorCode() == Errors.NONE.code();
                    written.add(ok);
                    if (!ok) {
                        anyError = true;
                        errorCode(ApiKeys.PRODUCE, Errors.forCode(p.errorCode()), 1);
                    }
                }
            }
        }
        // acks=0 has no response: count what was sent, the only thing known.
        boolean matched = written.size() == parts.size();
        for (int i = 0; i < parts.size(); i++) {
            if (matched && !written.get(i)) {
                continue;
            }
            Part part = parts.get(i);
            TopicMeters m = topic(part.topic());
            m.producedBytes().increment(part.bytes());
            m.producedRecords().increment(part.records());
            publicMetrics.kafkaRequestBytes(KafkaRequestKind.PRODUCE).increment(part.bytes());
            publicMetrics.recordsProduced().increment(part.records());
        }
        if (anyError) {
            error(ApiKeys.PRODUCE, KafkaRequestKind.PRODUCE);
        }
    }

    private void fetched(FetchResponseData response) {
        boolean anyError = response.errorCode() != Errors.NONE.code();
        if (anyError) {
            errorCode(ApiKeys.FETCH, Errors.forCode(response.errorCode()), 1);
        }
        for (var t : response.responses()) {
            String topic = null;
            for (var p : t.partitions()) {
                if (p.errorCode() != Errors.NONE.code()) {
                    anyError = true;
                    errorCode(ApiKeys.FETCH, Errors.forCode(p.errorCode()), 1);
                }
                BaseRecords r = p.records();
                int bytes = r == null ? 0 : r.sizeInBytes();
                if (bytes == 0) {
                    continue;
                }
                if (topic == null) {
                    topic = topicName(t.topic(), t.topicId());
                }
                long records = BatchCounts.records(r);
                TopicMeters m = topic(topic);
                m.fetchedBytes().increment(bytes);
                m.fetchedRecords().increment(records);
                publicMetrics.kafkaRequestBytes(KafkaRequestKind.CONSUME).increment(bytes);
                publicMetrics.recordsFetched().increment(records);
            }
        }
        if (anyError) {
            error(ApiKeys.FETCH, KafkaRequestKind.CONSUME);
        }
    }

    /** The handler threw: the protocol layer answers with UNKNOWN_SERVER_ERROR. */
    private void failure(ApiKeys api, KafkaRequestKind publicKind) {
        error(api, publicKind);
        errorCode(api, Errors.UNKNOWN_SERVER_ERROR, 1);
    }

    /** {@code n} occurrences of {@code code} in one response of {@code api} (top-level or per resource). */
    private void errorCode(ApiKeys api, Errors code, int n) {
        errorCodes.computeIfAbsent(api, a -> new ConcurrentHashMap<>())
            .computeIfAbsent(code, c -> Counter.builder("ailurus.kafka.api.error.codes")
                .description("Error codes in Kafka responses, top-level and per partition/topic/group, per API and code")
                .tag("api", api.name().toLowerCase(Locale.ROOT))
                .tag("error", c.name().toLowerCase(Locale.ROOT))
                .register(internal)).increment(n);
    }

    /**
     * Drops the per-topic meters of topics no longer in {@code existing} (deleted), so a deleted
     * topic stops being scraped; a topic re-created later starts from zero.
     */
    void retainTopics(Set<String> existing) {
        for (String name : topics.keySet()) {
            if (!existing.contains(name)) {
                TopicMeters m = topics.remove(name);
                if (m != null) {
                    internal.remove(m.producedBytes());
                    internal.remove(m.producedRecords());
                    internal.remove(m.fetchedBytes());
                    internal.remove(m.fetchedRecords());
                }
            }
        }
    }

    private void error(ApiKeys api, KafkaRequestKind publicKind) {
        errors.computeIfAbsent(api, a -> Counter.builder("ailurus.kafka.api.errors")
            .description("Kafka requests answered with an error (any partition's error counts), per API")
            .tag("api", a.name().toLowerCase(Locale.ROOT))
            .register(internal)).increment();
        if (publicKind != null) {
            publicMetrics.kafkaRequestErrors(publicKind).increment();
        }
    }

    /** Requests from v13 name topics by id only. */
    private String topicName(String name, Uuid topicId) {
        if (name != null && !name.isEmpty()) {
            return name;
        }
        if (topicId != null && !Uuid.ZERO_UUID.equals(topicId)) {
            return image.get().topicById(topicId.toString()).map(TopicInfo::name).orElse("unknown");
        }
        return "unknown";
    }

    private TopicMeters topic(String name) {
        return topics.computeIfAbsent(name, n -> new TopicMeters(
            counter("ailurus.kafka.topic.produced.bytes", "Record bytes written by produce requests, per topic", n, "bytes"),
            counter("ailurus.kafka.topic.produced.records", "Records written by produce requests, per topic", n, null),
            counter("ailurus.kafka.topic.fetched.bytes", "Record bytes returned by fetch requests, per topic", n, "bytes"),
            counter("ailurus.kafka.topic.fetched.records", "Records returned by fetch requests, per topic", n, null)));
    }

    private Counter counter(String name, String description, String topic, String unit) {
        Counter.Builder b = Counter.builder(name).description(description).tag("topic", topic);
        if (unit != null) {
            b.baseUnit(unit);
        }
        return b.register(internal);
    }
}
