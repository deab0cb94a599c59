package io.ailurus.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.testing.BrokerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a broker start loads: Jackson databind (~500 classes, several MB of start-up garbage, part of the
 * idle RSS: docs/benchmarks.md, "Idle memory") must stay off the path of a start that founds a cluster,
 * registers the broker and idles. Snapshots, topic commands and forwarded requests still load it when used.
 */
class StartupClassesTest {

    @Test
    void aStartedIdleBrokerHasNotLoadedJacksonDatabind(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("class-load.txt");
        BrokerProcess broker = BrokerProcess.start(dir.resolve("data"), 0, BrokerProcess.freePort(), List.of(),
            List.of("-Xlog:class+load=info:file=" + log));
        List<String> loaded;
        try {
            // Listening comes after the broker's InitializeCluster and RegisterBroker commands were applied.
            Thread.sleep(1_000);
            loaded = Files.readAllLines(log);
        } finally {
            broker.stop();
        }
        assertTrue(loaded.stream().anyMatch(l -> l.contains("io.ailurus.core.metadata.MetadataState ")),
            "the class-load log covers the controller's start");
        List<String> databind = loaded.stream().filter(l -> l.contains("com.fasterxml.jackson.databind.")).toList();
        assertTrue(databind.isEmpty(), databind.size() + " databind classes loaded, first: "
            + (databind.isEmpty() ? "" : databind.get(0)));
    }
}
