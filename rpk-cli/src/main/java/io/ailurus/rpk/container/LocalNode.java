package io.ailurus.rpk.container;

import java.nio.file.Path;

/**
 * One node of a local cluster as it is on disk: its directory (data, log, pid and ports files)
 * and the three ports it listens on, all on 127.0.0.1.
 */
record LocalNode(int id, Path dir, int kafkaPort, int rpcPort, int adminPort) {

    Path dataDir() {
        return dir.resolve("data");
    }

    Path log() {
        return dir.resolve("broker.log");
    }

    Path pidFile() {
        return dir.resolve("pid");
    }

    Path portsFile() {
        return dir.resolve("ports");
    }

    String kafkaAddress() {
        return "127.0.0.1:" + kafkaPort;
    }

    String rpcAddress() {
        return "127.0.0.1:" + rpcPort;
    }

    String adminAddress() {
        return "127.0.0.1:" + adminPort;
    }
}
