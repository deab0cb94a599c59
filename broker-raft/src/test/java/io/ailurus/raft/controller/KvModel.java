package io.ailurus.raft.controller;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** A small key-value model for controller tests: "put" sets a key, "fail" makes apply throw. */
final class KvModel implements ReplicatedStateMachineModel<KvModel.Put, String> {

    /** Sets {@code key} to {@code value}; the result is the previous value (or null). */
    record Put(String key, String value) {
    }

    private final Map<String, String> map = new TreeMap<>();
    private long lastIndex;

    Map<String, String> snapshotOfMap() {
        return new TreeMap<>(map);
    }

    long lastIndex() {
        return lastIndex;
    }

    @Override
    public String apply(long index, Put command) {
        if (index <= lastIndex) {
            throw new IllegalStateException("index went backwards: " + index + " after " + lastIndex);
        }
        if (command.key().equals("fail")) {
            throw new IllegalArgumentException("refusing key 'fail'");
        }
        lastIndex = index;
        return map.put(command.key(), command.value());
    }

    @Override
    public String commandType(Put command) {
        return "put";
    }

    @Override
    public byte[] encode(Put command) {
        return (command.key() + "=" + command.value()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Put decode(String type, byte[] value) throws IOException {
        if (!type.equals("put")) {
            throw new IOException("unknown command type " + type);
        }
        String s = new String(value, StandardCharsets.UTF_8);
        int eq = s.indexOf('=');
        if (eq < 0) {
            throw new IOException("malformed put: " + s);
        }
        return new Put(s.substring(0, eq), s.substring(eq + 1));
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeLong(lastIndex);
        data.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            data.writeUTF(e.getKey());
            data.writeUTF(e.getValue());
        }
        data.flush();
    }

    @Override
    public void readSnapshot(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        long index = data.readLong();
        int size = data.readInt();
        Map<String, String> loaded = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            loaded.put(data.readUTF(), data.readUTF());
        }
        map.clear();
        map.putAll(loaded);
        lastIndex = index;
    }
}
