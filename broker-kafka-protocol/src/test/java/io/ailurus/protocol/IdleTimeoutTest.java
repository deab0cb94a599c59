package io.ailurus.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

/** A client that sends half a frame and stops is cleaned up by the idle timeout; busy ones are not. */
class IdleTimeoutTest {
    @Test
    void halfAFrameIsClosedByTheIdleTimeout() throws Exception {
        OneBrokerCluster cluster = new OneBrokerCluster();
        ProtocolConfig config = ProtocolConfig.defaults().withConnectionIdleTimeout(Duration.ofMillis(300));
        try (TestServer server = new TestServer(config, cluster.registry().build())) {
            cluster.port.set(server.port());
            byte[] frame = RawClient.frame(ApiKeys.METADATA, (short) 12, 1, new MetadataRequestData());
            try (RawClient stalled = new RawClient(server.port()); RawClient active = new RawClient(server.port())) {
                // The active one is answered, proving the server is fine; the stalled one is then closed.
                active.send(new MetadataRequestData(), (short) 12, 2);
                assertEquals(2, active.readResponse(ApiKeys.METADATA, (short) 12).correlationId());
                stalled.sendRaw(Arrays.copyOf(frame, frame.length / 2));
                assertTrue(stalled.closedByServer(), "the idle timeout closes a connection stuck mid-frame");
            }
        }
    }
}
