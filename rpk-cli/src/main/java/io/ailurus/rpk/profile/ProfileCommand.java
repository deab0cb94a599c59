package io.ailurus.rpk.profile;

import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import io.ailurus.rpk.Settings;
import io.ailurus.rpk.Table;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rpk profile}: named connection settings in the rpk profile file. */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = {"Manage rpk profiles (named connection settings).", "",
        "  rpk profile create prod --set brokers=10.0.0.1:9092,10.0.0.2:9092 --set admin.hosts=10.0.0.1:9644",
        "  rpk profile use prod"},
    subcommands = {ProfileCommand.Create.class, ProfileCommand.Use.class, ProfileCommand.ListProfiles.class,
        ProfileCommand.Current.class, ProfileCommand.Delete.class})
public final class ProfileCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Rpk.of(spec).out());
    }

    /** Creates a profile and makes it current. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a profile and switch to it.")
    static final class Create implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "brokers=... or admin.hosts=..., repeatable.")
        List<String> set = new ArrayList<>();
        @Option(names = {"-d", "--description"}, description = "A description.")
        String description;

        @Override
        public void run() {
            Rpk rpk = Rpk.of(spec);
            ProfileStore store = rpk.profiles();
            ProfileStore.File f = store.load();
            if (store.find(f, name).isPresent()) {
                throw new RpkException("profile '" + name + "' already exists");
            }
            ProfileStore.Profile p = new ProfileStore.Profile();
            p.name = name;
            p.description = description;
            for (String kv : set) {
                int eq = kv.indexOf('=');
                String key = eq > 0 ? kv.substring(0, eq) : kv;
                if (eq <= 0 || !Settings.KEYS.contains(key)) {
                    throw new RpkException("invalid --set '" + kv + "': expected brokers=HOST:PORT[,...] or admin.hosts=HOST:PORT[,...]");
                }
                List<String> hosts = Settings.split(kv.substring(eq + 1));
                if (key.equals("brokers")) {
                    p.kafkaApi.brokers = hosts;
                } else {
                    p.adminApi.addresses = hosts;
                }
            }
            f.profiles.add(p);
            f.currentProfile = name;
            store.save(f);
            rpk.out().println("Created and switched to new profile \"" + name + "\".");
        }
    }

    /** Switches the current profile. */
    @Command(name = "use", mixinStandardHelpOptions = true, description = "Switch to a profile.")
    static final class Use implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            Rpk rpk = Rpk.of(spec);
            ProfileStore store = rpk.profiles();
            ProfileStore.File f = store.load();
            if (store.find(f, name).isEmpty()) {
                throw new RpkException("profile '" + name + "' does not exist");
            }
            f.currentProfile = name;
            store.save(f);
            rpk.out().println("Set current profile to \"" + name + "\".");
        }
    }

    /** Lists profiles; the current one is marked with {@code *}. */
    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List profiles.")
    static final class ListProfiles implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            Rpk rpk = Rpk.of(spec);
            ProfileStore.File f = rpk.profiles().load();
            Table t = new Table("NAME", "DESCRIPTION");
            f.profiles.forEach(p -> t.row(p.name + (p.name.equals(f.currentProfile) ? "*" : ""),
                p.description == null ? "" : p.description));
            t.print(rpk.out());
        }
    }

    /** Prints the current profile's name. */
    @Command(name = "current", mixinStandardHelpOptions = true, description = "Print the current profile name.")
    static final class Current implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            Rpk rpk = Rpk.of(spec);
            ProfileStore.File f = rpk.profiles().load();
            rpk.out().println(f.currentProfile == null ? "" : f.currentProfile);
        }
    }

    /** Deletes a profile. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a profile.")
    static final class Delete implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            Rpk rpk = Rpk.of(spec);
            ProfileStore store = rpk.profiles();
            ProfileStore.File f = store.load();
            if (!f.profiles.removeIf(p -> name.equals(p.name))) {
                throw new RpkException("profile '" + name + "' does not exist");
            }
            if (name.equals(f.currentProfile)) {
                f.currentProfile = null;
            }
            store.save(f);
            rpk.out().println("Deleted profile \"" + name + "\".");
        }
    }
}
