package io.ailurus.rpk.topic;

import io.ailurus.rpk.Rpk;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rpk topic}: create, list, describe, delete, configure, produce to and consume from topics. */
@Command(name = "topic", mixinStandardHelpOptions = true, description = "Create, delete, produce to and consume from topics.",
    subcommands = {TopicCreate.class, TopicList.class, TopicDescribe.class, TopicDelete.class, TopicAlterConfig.class,
        TopicAddPartitions.class, TopicProduce.class, TopicConsume.class})
public final class TopicCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Rpk.of(spec).out());
    }
}
