package io.ailurus.core.config;

import java.util.List;

/** The keys of the {@code tuning:} section: how many cores and how much memory the broker uses. */
public final class TuningConfigKeys {
    private TuningConfigKeys() {}

    private static <T> ConfigKey.Builder<T> key(String name, ConfigType<T> type) {
        return ConfigKey.builder(ConfigSection.TUNING, name, type).needsRestart();
    }

    public static final ConfigKey<Integer> SMP = key("smp", ConfigTypes.integer(1, 1024))
            .defaultValue(Runtime.getRuntime().availableProcessors())
            .defaultDoc("the number of CPUs the JVM sees")
            .flag("--smp")
            .doc("Number of shards: event-loop threads, each owning its share of the partitions and connections.")
            .build();

    public static final ConfigKey<Long> MEMORY = key("memory", ConfigTypes.size(16L << 20, Long.MAX_VALUE))
            .nullable()
            .defaultDoc("half of the JVM's maximum heap")
            .flag("--memory")
            .doc("Memory budget for the batch cache and network/IO buffers (e.g. 512M, 2G). The JVM heap itself"
                    + " is set by AILURUS_HEAP_OPTS (default -Xms32m -Xmx2g); --check warns if the budget does not"
                    + " fit in it.")
            .build();

    public static final ConfigKey<Boolean> OVERPROVISIONED = key("overprovisioned", ConfigTypes.BOOLEAN)
            .defaultValue(false)
            .flag("--overprovisioned")
            .doc("The machine's cores are shared (containers, laptops, CI): do not pin shard threads to cores"
                    + " and do not busy-poll; idle event loops sleep instead.")
            .build();

    /** All keys of the section, in documentation order. */
    public static final List<ConfigKey<?>> ALL = List.of(SMP, MEMORY, OVERPROVISIONED);
}
