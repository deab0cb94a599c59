package io.ailurus.rpk.topic;

import io.ailurus.rpk.Errors;
import io.ailurus.rpk.Rpk;
import io.ailurus.rpk.RpkException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rpk topic produce}: records from stdin, one per match of the {@code -f} format (default
 * one value per line). Each is acknowledged by the broker ({@code acks=all}: durable) before its
 * {@code Produced to partition P at offset O} line is printed; exit 1 if any failed.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, description = {"Produce records to a topic from stdin.", "",
    "  echo hello | rpk topic produce orders",
    "  printf 'k1 v1\\nk2 v2\\n' | rpk topic produce orders -f '%k %v\\n'",
    "Format fields: %k key, %v value, %p partition; escapes \\n \\t \\\\."})
public final class TopicProduce implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "TOPIC")
    String topic;
    @Option(names = {"-f", "--format"}, defaultValue = "%v\\n", description = "Input record format (default '${DEFAULT-VALUE}').")
    String format;
    @Option(names = {"-k", "--key"}, description = "Key for every record (unless the format has %k).")
    String key;
    @Option(names = {"-H", "--header"}, paramLabel = "KEY=VALUE", description = "Header for every record, repeatable.")
    List<String> headers = new ArrayList<>();
    @Option(names = {"-p", "--partition"}, defaultValue = "-1", description = "Partition for every record (default: the partitioner's choice).")
    int partition;
    @Option(names = "--acks", defaultValue = "all", description = "all (durable, default), 1 or 0.")
    String acks;
    @Option(names = {"-o", "--output-format"}, defaultValue = "Produced to partition %p at offset %o with timestamp %d.\\n",
        description = "What to print per record: %p partition, %o offset, %d timestamp, %t topic.")
    String outputFormat;

    @Override
    public Integer call() throws IOException {
        Rpk rpk = Rpk.of(spec);
        RecordFormat in = RecordFormat.parse(format, "kvp");
        Map<String, String> hdrs = TopicConfigs.parse(headers);
        Properties extra = new Properties();
        extra.put("acks", acks);
        PrintStream out = rpk.out();
        boolean failed = false;
        InputStream stdin = new BufferedInputStream(System.in);
        try (KafkaProducer<byte[], byte[]> producer = rpk.kafka().producer(extra)) {
            RecordFormat.Parsed r;
            while ((r = in.read(stdin)) != null) {
                byte[] k = r.get('k') != null ? r.get('k') : key == null ? null : key.getBytes(StandardCharsets.UTF_8);
                byte[] v = r.get('v') == null ? new byte[0] : r.get('v');
                Integer p = null; // null: the partitioner chooses
                if (r.get('p') != null) {
                    p = parsePartition(r.get('p'));
                } else if (partition >= 0) {
                    p = partition;
                }
                ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topic, p, k, v);
                hdrs.forEach((hk, hv) -> rec.headers().add(new RecordHeader(hk, hv.getBytes(StandardCharsets.UTF_8))));
                // One at a time: the printed offset is the broker's acknowledgement of this record.
                Future<RecordMetadata> f = producer.send(rec);
                try {
                    RecordMetadata md = f.get();
                    out.print(render(md));
                } catch (ExecutionException e) {
                    failed = true;
                    rpk.err().println("unable to produce record: " + Errors.describe(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RpkException("interrupted");
                }
            }
        }
        return failed ? 1 : 0;
    }

    private String render(RecordMetadata md) {
        StringBuilder sb = new StringBuilder();
        for (RecordFormat.Token t : RecordFormat.parseOutput(outputFormat, "tpod").tokens()) {
            if (!t.isField()) {
                sb.append(new String(t.literal(), StandardCharsets.UTF_8));
                continue;
            }
            sb.append(switch (t.field()) {
                case 't' -> md.topic();
                case 'p' -> String.valueOf(md.partition());
                case 'o' -> String.valueOf(md.offset());
                default -> String.valueOf(md.timestamp());
            });
        }
        return sb.toString();
    }

    private static int parsePartition(byte[] text) {
        try {
            return Integer.parseInt(new String(text, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            throw new RpkException("invalid partition '" + new String(text, StandardCharsets.UTF_8) + "' in input");
        }
    }
}
