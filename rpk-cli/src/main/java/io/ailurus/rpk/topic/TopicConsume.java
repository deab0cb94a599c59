package io.ailurus.rpk.topic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ailurus.rpk.AdminApiClient;
import io.ailurus.rpk.Progress;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rpk topic consume}: prints records as JSON (one object per line, rpk's default) or by a
 * {@code -f} format. Without {@code -g} it reads the partitions directly from {@code -o}; with
 * {@code -g} it joins the group and commits what it printed.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, description = {"Consume records from topics.", "",
    "  rpk topic consume orders -o start -n 10",
    "  rpk topic consume orders -o start:end -f '%k=%v\\n'     # read to the current end, then exit",
    "  rpk topic consume orders -g billing",
    "Offsets (-o): start|oldest, end|newest, N, +N, -N, @TIMESTAMP_MS; append :end to stop at the end.",
    "Format (-f): json (default) or %t topic, %k key, %v value, %h headers, %p partition, %o offset,",
    "%d timestamp (ms), %K key length, %V value length; escapes \\n \\t \\\\."})
public final class TopicConsume implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TOPIC")
    List<String> topics;
    @Option(names = {"-o", "--offset"}, defaultValue = "start", description = "Where to start (default ${DEFAULT-VALUE}).")
    String offset;
    @Option(names = {"-n", "--num"}, defaultValue = "0", description = "Stop after this many records (0: no limit).")
    long num;
    @Option(names = {"-g", "--group"}, description = "Consume as a member of this consumer group (commits offsets).")
    String group;
    @Option(names = {"-p", "--partitions"}, split = ",", description = "Only these partitions (without -g).")
    List<Integer> partitions = new ArrayList<>();
    @Option(names = {"-f", "--format"}, defaultValue = "json", description = "Output format (default ${DEFAULT-VALUE}).")
    String format;

    private volatile boolean stopping;

    @Override
    public Integer call() {
        Rpk rpk = Rpk.of(spec);
        OffsetSpec from = OffsetSpec.parse(offset);
        RecordFormat fmt = format.equals("json") ? null : RecordFormat.parseOutput(format, "tkvhpodKV");
        Properties extra = new Properties();
        if (group != null) {
            extra.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            extra.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, from.kind() == OffsetSpec.Kind.END ? "latest" : "earliest");
        }
        PrintStream out = rpk.out();
        Progress progress = Progress.on(rpk.err());
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = rpk.kafka().consumer(extra)) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                stopping = true;
                consumer.wakeup();
                try {
                    main.join(5000);
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            Map<TopicPartition, Long> ends = new HashMap<>();
            List<TopicPartition> assigned = group == null ? assign(consumer, from) : List.of();
            if (group != null) {
                consumer.subscribe(topics, new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                        if (from.stopAtEnd()) {
                            ends.putAll(consumer.endOffsets(parts));
                        }
                    }
                });
            } else if (from.stopAtEnd()) {
                ends.putAll(consumer.endOffsets(assigned));
            }
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            // Commit exactly what was printed (the poll may have fetched more than -n allows).
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> done = new HashMap<>();
            try {
                while (!stopping && (num <= 0 || printed < num)) {
                    if (from.stopAtEnd() && (group == null || !consumer.assignment().isEmpty()) && reachedEnd(consumer, ends)) {
                        break;
                    }
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        Long end = ends.get(new TopicPartition(r.topic(), r.partition()));
                        if (end != null && r.offset() >= end) {
                            continue;
                        }
                        out.print(fmt == null ? json(r) + "\n" : render(fmt, r));
                        printed++;
                        done.put(new TopicPartition(r.topic(), r.partition()),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(r.offset() + 1));
                        if (num > 0 && printed >= num) {
                            break;
                        }
                    }
                    out.flush();
                    if (group != null && !done.isEmpty()) {
                        consumer.commitSync(done, Duration.ofSeconds(10));
                        done.clear();
                    }
                    if (from.stopAtEnd()) {
                        progress.show("consumed " + printed + (total > 0 ? " records (log end total " + total + ")" : " records"));
                    }
                }
                if (group != null && !done.isEmpty()) {
                    consumer.commitSync(done, Duration.ofSeconds(10));
                }
            } catch (WakeupException e) {
                // Ctrl-C: fall through to a clean close
            } finally {
                progress.done();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException alreadyExiting) {
                    // the hook is running: it waits for us
                }
            }
        }
        return 0;
    }

    private List<TopicPartition> assign(KafkaConsumer<byte[], byte[]> consumer, OffsetSpec from) {
        List<TopicPartition> tps = new ArrayList<>();
        for (String t : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(t, Duration.ofSeconds(20));
            if (infos == null || infos.isEmpty()) {
                throw new RpkException("topic '" + t + "' does not exist");
            }
            for (PartitionInfo p : infos) {
                if (partitions.isEmpty() || partitions.contains(p.partition())) {
                    tps.add(new TopicPartition(t, p.partition()));
                }
            }
        }
        consumer.assign(tps);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
        Map<TopicPartition, Long> end = consumer.endOffsets(tps);
        Map<TopicPartition, Long> byTime = new HashMap<>();
        if (from.kind() == OffsetSpec.Kind.TIMESTAMP) {
            Map<TopicPartition, Long> q = new HashMap<>();
            tps.forEach(tp -> q.put(tp, from.value()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(q);
            tps.forEach(tp -> byTime.put(tp, found.get(tp) == null ? end.get(tp) : found.get(tp).offset()));
        }
        for (TopicPartition tp : tps) {
            long lo = begin.get(tp);
            long hi = end.get(tp);
            long pos = switch (from.kind()) {
                case START -> lo;
                case END -> hi;
                case EXACT -> Math.max(lo, Math.min(hi, from.value()));
                case AFTER_START -> Math.min(hi, lo + from.value());
                case BEFORE_END -> Math.max(lo, hi - from.value());
                case TIMESTAMP -> byTime.get(tp);
            };
            consumer.seek(tp, pos);
        }
        return tps;
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : consumer.assignment()) {
            Long end = ends.get(tp);
            if (end != null && consumer.position(tp) < end) {
                return false;
            }
        }
        return true;
    }

    /** rpk's JSON: topic, key (if any), value, headers (if any), timestamp, partition, offset. */
    static String json(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode o = AdminApiClient.JSON.createObjectNode();
        o.put("topic", r.topic());
        if (r.key() != null) {
            o.put("key", new String(r.key(), StandardCharsets.UTF_8));
        }
        o.put("value", r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
        if (r.headers().toArray().length > 0) {
            ArrayNode hs = o.putArray("headers");
            for (Header h : r.headers()) {
                hs.addObject().put("key", h.key()).put("value", h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        o.put("timestamp", r.timestamp());
        o.put("partition", r.partition());
        o.put("offset", r.offset());
        return o.toString();
    }

    static String render(RecordFormat fmt, ConsumerRecord<byte[], byte[]> r) {
        StringBuilder sb = new StringBuilder();
        for (RecordFormat.Token t : fmt.tokens()) {
            if (!t.isField()) {
                sb.append(new String(t.literal(), StandardCharsets.UTF_8));
                continue;
            }
            sb.append(switch (t.field()) {
                case 't' -> r.topic();
                case 'k' -> r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                case 'v' -> r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
                case 'h' -> headers(r);
                case 'p' -> String.valueOf(r.partition());
                case 'o' -> String.valueOf(r.offset());
                case 'd' -> String.valueOf(r.timestamp());
                case 'K' -> String.valueOf(r.key() == null ? 0 : r.key().length);
                default -> String.valueOf(r.value() == null ? 0 : r.value().length);
            });
        }
        return sb.toString();
    }

    private static String headers(ConsumerRecord<byte[], byte[]> r) {
        List<String> out = new ArrayList<>();
        for (Header h : r.headers()) {
            out.add(h.key() + "=" + (h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)));
        }
        return String.join(",", out);
    }
}
