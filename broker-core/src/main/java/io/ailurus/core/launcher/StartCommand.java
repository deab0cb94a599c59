package io.ailurus.core.launcher;

import io.ailurus.core.BrokerRuntime;
import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.BrokerConfigLoader;
import io.ailurus.core.config.ConfigException;
import io.ailurus.core.config.ConfigKey;
import io.ailurus.core.config.ConfigOverride;
import io.ailurus.core.config.NodeConfigKeys;
import io.ailurus.core.config.TuningConfigKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ailurus start}: reads the configuration (defaults, YAML file, flags), checks the data
 * directory and ports, runs the {@code --check} environment checks, logs a banner and runs the
 * broker until SIGTERM/Ctrl-C. Config flags are taken as text and parsed by the config keys, so a
 * bad flag gets the same one-line message as a bad YAML value.
 */
@Command(name = "start", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = AilurusVersion.class,
        description = {"Starts an Ailurus broker in the foreground.",
                "Each flag overrides the same setting in the YAML config (see docs/configuration.md).",
                "Exit codes: 0 stopped normally, 1 bad configuration, 2 the broker failed to start."})
public final class StartCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(StartCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config file. Default: the built-in ailurus-default.yaml (single node, Kafka on 9092).")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (ailurus.data_directory), created if missing. Default: var/data under AILURUS_HOME.")
    String dataDir;

    @Option(names = "--node-id", paramLabel = "N",
            description = "This broker's id, unique in the cluster (ailurus.node_id). Default: 0.")
    String nodeId;

    @Option(names = "--kafka-addr", paramLabel = "[NAME://]HOST:PORT[,...]",
            description = "Kafka API listen address(es) (ailurus.kafka_api). Default: internal://0.0.0.0:9092.")
    String kafkaAddr;

    @Option(names = "--advertise-kafka-addr", paramLabel = "[NAME://]HOST:PORT[,...]",
            description = "Address(es) clients are told to connect to (ailurus.advertised_kafka_api)."
                    + " Default: the --kafka-addr listeners, 0.0.0.0 replaced by 127.0.0.1.")
    String advertiseKafkaAddr;

    @Option(names = "--admin-addr", paramLabel = "HOST:PORT[,...]",
            description = "Admin HTTP API and /metrics listen address(es) (ailurus.admin). Default: 0.0.0.0:9644.")
    String adminAddr;

    @Option(names = "--rpc-addr", paramLabel = "HOST:PORT",
            description = "Internal RPC (Raft) listen address (ailurus.rpc_server). Default: 0.0.0.0:33145.")
    String rpcAddr;

    @Option(names = "--seeds", paramLabel = "HOST:PORT[,...]",
            description = "RPC addresses of the cluster's founding members, the controller's voters (ailurus.seed_servers)."
                    + " A broker not among them joins the cluster through them."
                    + " Default: none, this node founds a single-node cluster.")
    String seeds;

    @Option(names = "--smp", paramLabel = "N",
            description = "Number of shards: event-loop threads (tuning.smp). Default: the number of CPUs.")
    String smp;

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "Memory budget for the batch cache and network/IO buffers, e.g. 512M or 2G (tuning.memory)."
                    + " Default: half the JVM heap. The heap itself is set with AILURUS_HEAP_OPTS (default -Xms32m -Xmx2g).")
    String memory;

    @Option(names = "--overprovisioned", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Cores are shared with other work (containers, laptops, CI): do not pin shard threads and do not"
                    + " busy-poll (tuning.overprovisioned). Default: false.")
    String overprovisioned;

    @Option(names = "--check", arity = "0..1", fallbackValue = "true", defaultValue = "true", paramLabel = "BOOL",
            description = "Run the environment checks (direct I/O on the data directory, memory vs JVM limits, open-files"
                    + " limit, CPUs, GC) and log a warning for each failure; --check=false skips them. Config, data"
                    + " directory and port checks always run. Default: true.")
    String check;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "Root log level: TRACE, DEBUG, INFO, WARN or ERROR. Default: $AILURUS_LOG_LEVEL, else INFO.")
    String logLevel;

    @Option(names = {"-v", "--verbose"}, description = "DEBUG logging, and stack traces with errors.")
    boolean verbose;

    private final BrokerStarter starter;
    private final BrokerConfigLoader loader;

    /**
     * @param starter starts the data plane from a valid config
     * @param loader  reads the configuration
     */
    public StartCommand(BrokerStarter starter, BrokerConfigLoader loader) {
        this.starter = starter;
        this.loader = loader;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        BrokerConfig config;
        try {
            LogLevels.setRoot(verbose ? "DEBUG" : logLevel);
            boolean runChecks = parseBoolean("--check", check);
            config = loader.load(configFile, overrides());
            DataDirectoryCheck.require(config.dataDirectory());
            ListenerPortCheck.requireFree(config);
            if (runChecks) {
                for (SystemChecks.Result r : SystemChecks.run(config)) {
                    if (r.ok()) {
                        log.debug("check {}: {}", r.name(), r.detail());
                    } else {
                        log.warn("check {}: {}", r.name(), r.detail());
                    }
                }
            }
        } catch (ConfigException e) {
            return fail(err, ExitCodes.CONFIG_ERROR, e.getMessage(), e);
        }
        StartupBanner.lines(config).forEach(log::info);
        return run(config, err);
    }

    private int run(BrokerConfig config, PrintWriter err) {
        BrokerRuntime runtime;
        try {
            runtime = starter.start(config);
        } catch (UnsupportedOperationException e) {
            return fail(err, ExitCodes.START_FAILED, "cannot start the broker: " + e.getMessage(), e);
        } catch (ConfigException e) {
            return fail(err, ExitCodes.CONFIG_ERROR, e.getMessage(), e);
        } catch (RuntimeException e) {
            return fail(err, ExitCodes.START_FAILED, "the broker failed to start: " + e, e);
        }
        Thread hook = new Thread(() -> {
            log.info("shutdown requested (SIGTERM or Ctrl-C): stopping the broker");
            runtime.close();
            log.info("broker stopped");
        }, "ailurus-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.info("broker started; SIGTERM or Ctrl-C stops it");
        try {
            runtime.awaitShutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runtime.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is what stopped us; it finishes on its own
        }
        return ExitCodes.OK;
    }

    private int fail(PrintWriter err, int code, String message, Exception e) {
        err.println("ailurus: error: " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private List<ConfigOverride> overrides() {
        List<ConfigOverride> out = new ArrayList<>();
        add(out, NodeConfigKeys.DATA_DIRECTORY, dataDir);
        add(out, NodeConfigKeys.NODE_ID, nodeId);
        add(out, NodeConfigKeys.KAFKA_API, kafkaAddr);
        add(out, NodeConfigKeys.ADVERTISED_KAFKA_API, advertiseKafkaAddr);
        add(out, NodeConfigKeys.ADMIN, adminAddr);
        add(out, NodeConfigKeys.RPC_SERVER, rpcAddr);
        add(out, NodeConfigKeys.SEED_SERVERS, seeds);
        add(out, TuningConfigKeys.SMP, smp);
        add(out, TuningConfigKeys.MEMORY, memory);
        add(out, TuningConfigKeys.OVERPROVISIONED, overprovisioned);
        return out;
    }

    private static void add(List<ConfigOverride> out, ConfigKey<?> key, String text) {
        if (text != null) {
            out.add(ConfigOverride.of(key, text));
        }
    }

    private static boolean parseBoolean(String flag, String text) {
        String s = text.strip();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw ConfigException.invalidValue(flag, null, text, "true or false");
    }
}
