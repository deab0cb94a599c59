package io.ailurus.raft.rpc;

import java.io.IOException;

import com.alipay.remoting.exception.DeserializationException;
import com.alipay.remoting.rpc.RequestCommand;
import com.alipay.remoting.rpc.protocol.RpcRequestCommand;
import com.alipay.sofa.jraft.rpc.ProtobufSerializer;
import com.alipay.sofa.jraft.rpc.RpcRequests.AppendEntriesRequest;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;

/**
 * jraft's protobuf serializer for bolt, except that a follower parses an {@link AppendEntriesRequest} with
 * aliasing: the request's {@code data} (every entry's bytes) stays a view of the byte array bolt decoded the
 * request into, instead of being copied into a ByteString of its own. That array is allocated for this one
 * request and nobody writes it afterwards, and jraft copies each entry out of {@code data} anyway
 * ({@code NodeImpl.logEntryFromMeta}); the copy removed here was one allocation and one memory copy of every
 * replicated byte on every follower (docs/benchmarks.md, "Profile of the produce path").
 */
final class AliasingAppendEntriesSerializer extends ProtobufSerializer {

    static final String REQUEST_CLASS = AppendEntriesRequest.class.getName();

    @Override
    public <T extends RequestCommand> boolean deserializeContent(T request) throws DeserializationException {
        RpcRequestCommand command = (RpcRequestCommand) request;
        if (!REQUEST_CLASS.equals(command.getRequestClass())) {
            return super.deserializeContent(request);
        }
        byte[] content = request.getContent();
        // An input over an array protobuf may treat as immutable: only then does aliasing share it.
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(content).newCodedInput();
        in.enableAliasing(true);
        try {
            command.setRequestObject(AppendEntriesRequest.parseFrom(in));
        } catch (IOException e) {
            throw new DeserializationException("cannot parse an AppendEntriesRequest of " + content.length + " bytes", e);
        }
        return true;
    }
}
