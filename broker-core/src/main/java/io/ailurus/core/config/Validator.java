package io.ailurus.core.config;

/**
 * A rule beyond the type's range, e.g. "the replication factor must be odd".
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface Validator<T> {
    /** Returns what was expected if {@code value} breaks the rule, or null if it is fine. */
    String check(T value);

    /** No rule. */
    static <T> Validator<T> none() {
        return value -> null;
    }
}
