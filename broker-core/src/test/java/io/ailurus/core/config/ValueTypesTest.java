package io.ailurus.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small value parsers every key relies on. */
class ValueTypesTest {

    @Test
    void hostPortForms() throws BadValueException {
        assertEquals(new HostPort("127.0.0.1", 9092), HostPort.parse("127.0.0.1:9092"));
        assertEquals(new HostPort("broker.example", 0), HostPort.parse(" broker.example:0 "));
        assertEquals(new HostPort("::1", 9092), HostPort.parse("[::1]:9092"));
        assertEquals("[::1]:9092", new HostPort("::1", 9092).toString());
        for (String bad : List.of("", "host", ":9092", "host:", "host:65536", "host:-1", "::1:9092", "[::1]9092", "a b:1")) {
            assertThrows(BadValueException.class, () -> HostPort.parse(bad), bad);
        }
    }

    @Test
    void byteSizes() throws BadValueException {
        assertEquals(1024L, ByteSize.parse("1024"));
        assertEquals(512L << 10, ByteSize.parse("512K"));
        assertEquals(64L << 20, ByteSize.parse("64m"));
        assertEquals(1L << 30, ByteSize.parse("1G"));
        assertEquals(1L << 30, ByteSize.parse("1GiB"));
        assertEquals(2L << 40, ByteSize.parse("2 TB"));
        for (String bad : List.of("", "G", "1.5G", "-1", "1X", "99999999999999999999", "9999999999T")) {
            assertThrows(BadValueException.class, () -> ByteSize.parse(bad), bad);
        }
        assertEquals("1G", ByteSize.format(1L << 30));
        assertEquals("1536K", ByteSize.format(1536L << 10));
        assertEquals("1000", ByteSize.format(1000));
    }

    @Test
    void listenersFromFlagText() throws BadValueException {
        ConfigType<List<Listener>> t = ConfigTypes.listeners("internal");
        assertEquals(List.of(new Listener("internal", new HostPort("0.0.0.0", 9092)),
                new Listener("external", new HostPort("0.0.0.0", 19092)),
                new Listener("internal2", new HostPort("127.0.0.1", 29092))),
                t.parse("0.0.0.0:9092,external://0.0.0.0:19092,127.0.0.1:29092"));
        BadValueException dup = assertThrows(BadValueException.class, () -> t.parse("a://h:1,a://h:2"));
        assertEquals("listener names to be unique, but 'a' is used twice", dup.expected());
    }

    @Test
    void suggestionsAreCloseOrAbsent() {
        assertEquals(Optional.of("node_id"), Suggestions.closest("node-id", List.of("node_id", "seed_servers")));
        assertEquals(Optional.of("seed_servers"), Suggestions.closest("seed_server", List.of("node_id", "seed_servers")));
        assertEquals(Optional.empty(), Suggestions.closest("banana", List.of("node_id", "seed_servers")));
    }
}
