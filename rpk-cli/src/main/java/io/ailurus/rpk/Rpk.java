package io.ailurus.rpk;

import io.ailurus.rpk.cluster.ClusterCommand;
import io.ailurus.rpk.redpanda.RedpandaCommand;
import io.ailurus.rpk.container.ContainerCommand;
import io.ailurus.rpk.group.GroupCommand;
import io.ailurus.rpk.profile.ProfileCommand;
import io.ailurus.rpk.profile.ProfileStore;
import io.ailurus.rpk.topic.TopicCommand;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code rpk}: Ailurus's operator CLI, with Redpanda rpk's verbs, flags, output columns and exit
 * codes (0 success, 1 failure). It talks the Kafka protocol (Kafka's Java admin, producer and
 * consumer) to the brokers and HTTP to the admin API.
 */
@Command(name = "rpk", mixinStandardHelpOptions = true, versionProvider = RpkVersion.class,
    description = "rpk is the Ailurus CLI: manage topics, consumer groups, cluster configuration and local clusters.",
    footer = {"", "Connection: -X brokers=HOST:PORT[,...] -X admin.hosts=HOST:PORT[,...],",
        "or RPK_BROKERS / RPK_ADMIN_HOSTS, or an rpk profile (rpk profile create)."},
    subcommands = {ClusterCommand.class, ContainerCommand.class, TopicCommand.class, GroupCommand.class, ProfileCommand.class, RedpandaCommand.class,
        GenerateCommand.class, CommandLine.HelpCommand.class})
public final class Rpk implements Runnable {

    @Option(names = {"-X", "--config-opt"}, paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT,
        description = "Override an rpk setting: brokers=HOST:PORT[,...], admin.hosts=HOST:PORT[,...]; "
            + "'-X help' lists them.")
    List<String> configOpts = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
        description = "rpk profile file (default $RPK_CONFIG, else ~/.config/rpk/rpk.yaml).")
    String configFile;

    @Option(names = "--profile", paramLabel = "NAME", scope = ScopeType.INHERIT,
        description = "rpk profile to use instead of the current one.")
    String profile;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Log what the clients do (to stderr).")
    boolean verbose;

    @CommandLine.Spec
    CommandSpec spec;

    private Map<String, String> env = System.getenv();
    private PrintStream out = System.out;
    private PrintStream err = System.err;

    public static void main(String[] args) {
        quietLogging();
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * rpk's stdout is for results: use rpk's own logback file (never another jar's logback.xml)
     * and keep logback's status messages off stdout. Must run before the first logger exists.
     */
    static void quietLogging() {
        System.setProperty("logback.configurationFile", "rpk-logback.xml");
        System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
    }

    /** Runs one rpk invocation; returns the exit code. Used by {@link #main} and tests. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Rpk rpk = new Rpk();
        rpk.env = env;
        rpk.out = out;
        rpk.err = err;
        CommandLine cl = new CommandLine(rpk);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable cause = e;
            if (cause instanceof RpkException) {
                err.println("error: " + cause.getMessage());
            } else {
                err.println("error: " + Errors.describe(cause));
                if (rpk.verbose) {
                    cause.printStackTrace(err);
                }
            }
            return 1;
        });
        // Bad usage is an error like any other (rpk exits 1), with the usage on stderr.
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage());
            e.getCommandLine().usage(err);
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }

    /** The root command of a running invocation, for subcommands to reach the global settings. */
    public static Rpk of(CommandSpec spec) {
        return (Rpk) spec.root().userObject();
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Map<String, String> env() {
        return env;
    }

    public boolean verbose() {
        return verbose;
    }

    public ProfileStore profiles() {
        return ProfileStore.locate(configFile, env);
    }

    /** Connection settings from -X, the environment, the profile and the defaults. */
    public Settings settings() {
        Map<String, String> x = new LinkedHashMap<>();
        for (String opt : configOpts) {
            if (opt.equals("help") || opt.equals("list")) {
                throw new RpkException("-X keys: brokers=HOST:PORT[,...] (Kafka API, default " + Settings.DEFAULT_BROKER
                    + "), admin.hosts=HOST:PORT[,...] (admin API, default " + Settings.DEFAULT_ADMIN + ")");
            }
            int eq = opt.indexOf('=');
            if (eq <= 0) {
                throw new RpkException("invalid -X '" + opt + "': expected KEY=VALUE");
            }
            String key = opt.substring(0, eq);
            if (!Settings.KEYS.contains(key)) {
                throw new RpkException("unknown -X key '" + key + "'; known keys: " + String.join(", ", Settings.KEYS));
            }
            x.put(key, opt.substring(eq + 1));
        }
        ProfileStore store = profiles();
        ProfileStore.File file = store.load();
        var p = store.find(file, profile);
        if (profile != null && p.isEmpty()) {
            throw new RpkException("profile '" + profile + "' does not exist in " + store.path());
        }
        return Settings.resolve(x, env, ProfileStore.values(p.orElse(null)));
    }

    /** Kafka clients for this invocation's brokers. */
    public KafkaClients kafka() {
        return new KafkaClients(settings().brokers(), verbose);
    }

    /** Admin API client for this invocation's admin hosts. */
    public AdminApiClient adminApi() {
        return new AdminApiClient(settings().adminHosts());
    }
}
