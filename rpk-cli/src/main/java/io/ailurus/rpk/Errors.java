package io.ailurus.rpk;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;

/** Turns client exceptions into one line an operator can act on. */
public final class Errors {
    private Errors() {}

    /** The innermost meaningful cause: wrapper exceptions of futures are peeled off. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    public static String describe(Throwable t) {
        Throwable e = unwrap(t);
        String msg = e.getMessage();
        if (e instanceof ApiException api) {
            org.apache.kafka.common.protocol.Errors code = org.apache.kafka.common.protocol.Errors.forException(api);
            return code.name() + ": " + (msg == null ? code.message() : msg);
        }
        return msg == null ? e.getClass().getSimpleName() : msg;
    }

    /** Kafka's error name and message for a code, as rpk prints failures in STATUS/ERROR columns. */
    public static String status(Throwable t) {
        return t == null ? "OK" : describe(t);
    }
}
