package io.ailurus.raft.rpc;

import com.alipay.remoting.CustomSerializerManager;
import com.alipay.remoting.rpc.protocol.RpcRequestCommand;
import com.alipay.sofa.jraft.entity.RaftOutter.EntryMeta;
import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.rpc.ProtobufMsgFactory;
import com.alipay.sofa.jraft.rpc.RpcRequests.AppendEntriesRequest;
import com.alipay.sofa.jraft.rpc.RpcRequests.PingRequest;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A follower parses AppendEntries requests without copying the entries' data: the parsed data is a view of the
 * bytes bolt decoded, and jraft's registration through our RPC factory picks this serializer for that class only.
 */
class AliasingAppendEntriesSerializerTest {

    private static AppendEntriesRequest request(String data) {
        return AppendEntriesRequest.newBuilder()
                .setGroupId("kafka/t/0").setServerId("127.0.0.1:1").setPeerId("127.0.0.1:2")
                .setTerm(3).setPrevLogTerm(3).setPrevLogIndex(41).setCommittedIndex(40)
                .addEntries(EntryMeta.newBuilder().setTerm(3).setType(EntryType.ENTRY_TYPE_DATA).setDataLen(data.length()))
                .setData(ByteString.copyFrom(data, StandardCharsets.UTF_8))
                .build();
    }

    private static RpcRequestCommand received(byte[] content, String requestClass) {
        RpcRequestCommand command = new RpcRequestCommand();
        command.setRequestClass(requestClass);
        command.setContent(content);
        return command;
    }

    @Test
    void parsesTheSameRequestWithTheDataAViewOfTheReceivedBytes() throws Exception {
        AppendEntriesRequest sent = request("a record batch's bytes");
        byte[] content = sent.toByteArray();
        RpcRequestCommand command = received(content, AppendEntriesRequest.class.getName());

        new AliasingAppendEntriesSerializer().deserializeContent(command);

        AppendEntriesRequest parsed = (AppendEntriesRequest) command.getRequestObject();
        assertEquals(sent, parsed);
        // No copy: the received bytes show through the parsed data (bolt never writes them again).
        int at = indexOf(content, "record".getBytes(StandardCharsets.UTF_8));
        content[at] = 'R';
        assertEquals("a Record batch's bytes", parsed.getData().toStringUtf8());
    }

    @Test
    void otherMessagesParseAsJraftParsesThem() throws Exception {
        PingRequest ping = PingRequest.newBuilder().setSendTimestamp(12345).build();
        RpcRequestCommand command = received(ping.toByteArray(), PingRequest.class.getName());
        new AliasingAppendEntriesSerializer().deserializeContent(command);
        assertEquals(ping, command.getRequestObject());
    }

    @Test
    void jraftsRegistrationThroughOurFactoryPicksItForAppendEntriesOnly() throws Exception {
        assertInstanceOf(SharedClientRaftRpcFactory.class, RpcFactoryHelper.rpcFactory());
        // jraft registers every message class when ProtobufMsgFactory is initialised.
        Class.forName(ProtobufMsgFactory.class.getName(), true, getClass().getClassLoader());
        assertInstanceOf(AliasingAppendEntriesSerializer.class,
                CustomSerializerManager.getCustomSerializer(AppendEntriesRequest.class.getName()));
        assertNotEquals(AliasingAppendEntriesSerializer.class,
                CustomSerializerManager.getCustomSerializer(PingRequest.class.getName()).getClass());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
