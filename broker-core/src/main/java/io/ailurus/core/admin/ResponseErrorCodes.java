package io.ailurus.core.admin;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error codes in any Kafka response, top-level and per resource (partition, topic, group...),
 * with how often each occurs. Rather than walking each of the ~70 response schemas by hand, it wraps
 * the response data in kafka-clients' own response class ({@code FooResponseData} in
 * {@code FooResponse}) and asks its {@link AbstractResponse#errorCounts()}, which knows where every
 * API keeps its codes. The constructor is looked up once per API; an API without one counts only its
 * top-level {@code errorCode()}, if it has one.
 */
final class ResponseErrorCodes {
    private static final Logger log = LoggerFactory.getLogger(ResponseErrorCodes.class);
    private static final String REQUESTS_PACKAGE = "org.apache.kafka.common.requests.";

    /** Turns one response's data into its error counts. */
    private interface Counter {
        Map<Errors, Integer> count(ApiMessage data) throws Throwable;
    }

    private final Map<ApiKeys, Counter> byApi = new ConcurrentHashMap<>();

    /** Error codes other than NONE in {@code response}, with their number of occurrences. */
    Map<Errors, Integer> errors(ApiKeys api, ApiMessage response) {
        Counter c = byApi.computeIfAbsent(api, a -> counterFor(a, response.getClass()));
        try {
            return c.count(response);
        } catch (Throwable e) {
            // Metrics must never break a response: report nothing for this one.
            log.debug("cannot count the error codes of a {} response: {}", api, e.toString());
            return Map.of();
        }
    }

    private static Counter counterFor(ApiKeys api, Class<?> dataClass) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        String simple = dataClass.getSimpleName();
        if (simple.endsWith("Data")) {
            try {
                Class<?> responseClass = Class.forName(REQUESTS_PACKAGE + simple.substring(0, simple.length() - 4));
                if (AbstractResponse.class.isAssignableFrom(responseClass)) {
                    try {
                        MethodHandle ctor = lookup.findConstructor(responseClass, MethodType.methodType(void.class, dataClass));
                        return data -> nonZero(((AbstractResponse) ctor.invoke(data)).errorCounts());
                    } catch (NoSuchMethodException e) {
                        // Some take the version too; their error counts do not depend on it, but those
                        // constructors rewrite fields for the version they are given (JoinGroupResponse turns
                        // "" into null from v7 on, which a v5 answer cannot encode), so they get a copy: the
                        // response on its way to the client is never touched.
                        MethodHandle ctor = lookup.findConstructor(responseClass,
                            MethodType.methodType(void.class, dataClass, short.class));
                        short version = api.latestVersion();
                        return data -> nonZero(((AbstractResponse) ctor.invoke(data.duplicate(), version)).errorCounts());
                    }
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                log.debug("no response class for {}: {}", simple, e.toString());
            }
        }
        try {
            MethodHandle code = lookup.findVirtual(dataClass, "errorCode", MethodType.methodType(short.class));
            return data -> {
                Errors e = Errors.forCode((short) code.invoke(data));
                return e == Errors.NONE ? Map.of() : Map.of(e, 1);
            };
        } catch (ReflectiveOperationException e) {
            return data -> Map.of();
        }
    }

    private static Map<Errors, Integer> nonZero(Map<Errors, Integer> counts) {
        if (!counts.containsKey(Errors.NONE)) {
            return counts;
        }
        Map<Errors, Integer> copy = new java.util.EnumMap<>(Errors.class);
        counts.forEach((e, n) -> {
            if (e != Errors.NONE && n > 0) {
                copy.put(e, n);
            }
        });
        return copy;
    }
}
