package io.ailurus.rpk.group;

import io.ailurus.rpk.Rpk;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rpk group}: list, describe, seek and delete consumer groups and their offsets. */
@Command(name = "group", aliases = "g", mixinStandardHelpOptions = true,
    description = "Describe, list, and delete consumer groups and manage their offsets.",
    subcommands = {GroupList.class, GroupDescribe.class, GroupSeek.class, GroupDelete.class, GroupOffsetDelete.class})
public final class GroupCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Rpk.of(spec).out());
    }
}
