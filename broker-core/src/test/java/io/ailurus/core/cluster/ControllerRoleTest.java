package io.ailurus.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.entity.PeerId;
import io.ailurus.core.config.HostPort;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControllerRoleTest {
    private static final List<HostPort> SEEDS = List.of(new HostPort("10.0.0.1", 33145), new HostPort("10.0.0.2", 33145),
        new HostPort("10.0.0.3", 33145));

    @Test
    void aSeedStartsTheGroupWithTheSeedsAsVoters() {
        ControllerRole role = ControllerRole.of(SEEDS, new PeerId("10.0.0.2", 33145));
        assertFalse(role.joins());
        assertEquals(List.of(new PeerId("10.0.0.1", 33145), new PeerId("10.0.0.2", 33145), new PeerId("10.0.0.3", 33145)),
            role.initialVoters());
    }

    @Test
    void aBrokerNotAmongTheSeedsStartsEmptyAndJoinsThroughThem() {
        ControllerRole role = ControllerRole.of(SEEDS, new PeerId("10.0.0.4", 33145));
        assertTrue(role.joins());
        assertEquals(List.of(), role.initialVoters(), "an empty configuration: it must not elect itself");
        assertEquals(3, role.seedEndpoints().size());
        // Same host, another port: another broker.
        assertTrue(ControllerRole.of(SEEDS, new PeerId("10.0.0.1", 33146)).joins());
    }

    @Test
    void noSeedsFoundsAOneNodeCluster() {
        PeerId self = new PeerId("127.0.0.1", 33145);
        ControllerRole role = ControllerRole.of(List.of(), self);
        assertFalse(role.joins());
        assertEquals(List.of(self), role.initialVoters());
    }
}
