package io.ailurus.core.cluster;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.util.Endpoint;
import io.ailurus.core.config.HostPort;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's part in the controller group, from {@code --seeds} and its own RPC address: the
 * seeds are the group's voters (they found it together); a broker whose RPC address is not among
 * them joins as a learner (it replicates the metadata but does not vote), so adding brokers never
 * grows the voting group past the 3 or 5 seeds an operator chose. No seeds: a one-node cluster.
 *
 * @param initialVoters the group's initial configuration on this broker: the seeds, itself alone,
 *                      or nobody (a joining learner waits to be added)
 * @param joins         whether this broker must ask the seeds to be added as a learner
 * @param seedEndpoints the seeds' RPC endpoints
 */
public record ControllerRole(List<PeerId> initialVoters, boolean joins, List<Endpoint> seedEndpoints) {
    private static final Logger log = LoggerFactory.getLogger(ControllerRole.class);

    /**
     * @param seeds the configured seed servers (RPC addresses, compared exactly with {@code self}: use
     *              the same host spelling in --seeds as each seed advertises)
     * @param self  this broker's Raft peer id
     */
    public static ControllerRole of(List<HostPort> seeds, PeerId self) {
        if (seeds.isEmpty()) {
            return new ControllerRole(List.of(self), false, List.of());
        }
        List<PeerId> voters = seeds.stream().map(s -> new PeerId(s.host(), s.port())).distinct().toList();
        List<Endpoint> endpoints = voters.stream().map(PeerId::getEndpoint).toList();
        if (voters.contains(self)) {
            if (voters.size() % 2 == 0 || voters.size() > 5) {
                log.warn("{} seeds: the controller group has {} voters; 3 or 5 tolerate the same failures with fewer"
                    + " votes per metadata change (brokers that are not seeds join as learners)", voters.size(), voters.size());
            }
            return new ControllerRole(voters, false, endpoints);
        }
        return new ControllerRole(List.of(), true, endpoints);
    }
}
