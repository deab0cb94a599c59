package io.ailurus.core.config;

/**
 * How one kind of configuration value is read from text (a flag, an admin API call, a Kafka
 * AlterConfigs request) or from a YAML node, and written back as text. Implementations live in
 * {@link ConfigTypes}.
 *
 * @param <T> the Java type of the value
 */
public interface ConfigType<T> {

    /** Short type name shown in docs and in the admin API schema, e.g. {@code integer}, {@code host:port}. */
    String name();

    /** What a valid value looks like, for error messages, e.g. "an integer in [0, 65535]". */
    String expected();

    /** Parses the text form. */
    T parse(String text) throws BadValueException;

    /**
     * Reads the value from YAML. Scalars go through {@link #parse}; structured types override this.
     * A YAML null never reaches here (the caller handles nullable keys).
     */
    default T fromYaml(YamlNode node) throws BadValueException {
        if (node instanceof YamlNode.Scalar scalar && !scalar.isNull()) {
            return parse(scalar.text());
        }
        throw new BadValueException(expected() + ", found " + node.kind(), node.location(), null);
    }

    /** The text form, which {@link #parse} reads back to an equal value. */
    String format(T value);

    /** The type DescribeConfigs reports. */
    KafkaConfigType kafkaType();
}
