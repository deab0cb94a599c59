package io.ailurus.core.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A host (name or IP literal) and a TCP port. Port 0 means "any free port", which tests use to
 * get ephemeral ports. IPv6 literals are written in brackets: {@code [::1]:9092}.
 */
public record HostPort(String host, int port) {
    /** What {@link #parse} accepts, for error messages. */
    public static final String EXPECTED = "HOST:PORT with PORT an integer in [0, 65535], e.g. 127.0.0.1:9092";

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws BadValueException if the text is not of that shape
     */
    public static HostPort parse(String text) throws BadValueException {
        String s = text == null ? "" : text.strip();
        String host;
        String portText;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new BadValueException(EXPECTED);
            }
            host = s.substring(1, close);
            portText = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            // More than one colon without brackets is an unbracketed IPv6 literal: ambiguous.
            if (colon <= 0 || s.indexOf(':') != colon) {
                throw new BadValueException(EXPECTED);
            }
            host = s.substring(0, colon);
            portText = s.substring(colon + 1);
        }
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new BadValueException(EXPECTED);
        }
        return new HostPort(host, parsePort(portText));
    }

    /** Parses a port number, 0..65535. */
    public static int parsePort(String text) throws BadValueException {
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the uniform message
        }
        throw new BadValueException(EXPECTED);
    }

    /** True for the addresses that mean "all interfaces". */
    public boolean isWildcard() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** An unresolved socket address; binding resolves it. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
