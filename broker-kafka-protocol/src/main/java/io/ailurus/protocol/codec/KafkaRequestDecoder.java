package io.ailurus.protocol.codec;

import io.ailurus.protocol.ErrorResponses;
import io.ailurus.protocol.KafkaRequest;
import io.ailurus.protocol.ProtocolMetrics;
import io.ailurus.protocol.versions.ApiVersionRange;
import io.ailurus.protocol.versions.ApiVersionTable;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a request frame into a {@link KafkaRequest}: the header at the version
 * {@code ApiKeys.requestHeaderVersion} gives, then the body with the API's generated class. Records
 * stay a view of the frame (see {@link ByteBufReadable}).
 *
 * <p>Requests the {@link ApiVersionTable} does not serve become an {@link OutboundResponse} instead, so
 * they are answered in order like any other:
 * <ul>
 *   <li>ApiVersions at a version we do not serve: a v0 response with UNSUPPORTED_VERSION and our ranges,
 *       without parsing the body (as Kafka does, so the client retries at a version we list);</li>
 *   <li>another API, at a version kafka-clients can parse: that API's error response with
 *       UNSUPPORTED_VERSION for everything the request names;</li>
 *   <li>otherwise (unknown API key, a version nobody can parse, a malformed header or body): WARN and
 *       close this connection; other connections are untouched.</li>
 * </ul>
 */
public final class KafkaRequestDecoder extends MessageToMessageDecoder<ByteBuf> {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestDecoder.class);

    private final ApiVersionTable table;
    private final ProtocolMetrics metrics;
    private boolean rejected;

    /**
     * @param table   what is served
     * @param metrics told about each request and each rejected connection
     */
    public KafkaRequestDecoder(ApiVersionTable table, ProtocolMetrics metrics) {
        this.table = table;
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        if (rejected) {
            return;
        }
        long arrivalNanos = System.nanoTime();
        int sizeInBytes = frame.readableBytes() + 4;
        if (frame.readableBytes() < 4) {
            reject(ctx, "request of " + frame.readableBytes() + " bytes is too short for a header", "malformed header");
            return;
        }
        short apiId = frame.getShort(frame.readerIndex());
        short version = frame.getShort(frame.readerIndex() + 2);
        if (!ApiKeys.hasId(apiId)) {
            reject(ctx, "unknown API key " + apiId + " (version " + version + ")", "unknown api key");
            return;
        }
        ApiKeys api = ApiKeys.forId(apiId);
        ByteBufReadable readable = new ByteBufReadable(frame);
        RequestHeaderData header;
        try {
            header = new RequestHeaderData(readable, api.requestHeaderVersion(version));
        } catch (RuntimeException e) {
            reject(ctx, "malformed " + api.name + " v" + version + " request header: " + e, "malformed header");
            return;
        }
        if (header.clientId() == null) {
            header.setClientId(""); // nullable on the wire; Kafka treats null as empty
        }
        metrics.requestReceived(api, version, sizeInBytes);
        if (!table.accepts(api, version)) {
            answerUnsupported(ctx, api, version, header, frame, arrivalNanos, out);
            return;
        }
        ApiMessage body = api.messageType.newRequest();
        try {
            body.read(readable, version);
        } catch (RuntimeException e) {
            reject(ctx, "malformed " + api.name + " v" + version + " request body (correlation id "
                    + header.correlationId() + "): " + e, "malformed body");
            return;
        }
        if (frame.isReadable() && LOG.isDebugEnabled()) {
            // Kafka tolerates trailing bytes; so do we, but they are worth knowing about when debugging.
            LOG.debug("{} v{} from {} has {} trailing bytes", api.name, version, ctx.channel().remoteAddress(),
                    frame.readableBytes());
        }
        out.add(new KafkaRequest(header, api, body, ctx, arrivalNanos, sizeInBytes, frame.retain()));
    }

    private void answerUnsupported(ChannelHandlerContext ctx, ApiKeys api, short version, RequestHeaderData header,
                                   ByteBuf frame, long arrivalNanos, List<Object> out) {
        String served = table.rangeOf(api).map(ApiVersionTable::describe).orElse("not served");
        if (api == ApiKeys.API_VERSIONS) {
            // The client sent the newest version it knows; answer in v0, which every client can read, with
            // our ranges, so it retries at the highest version both sides support.
            LOG.debug("ApiVersions v{} from {} is newer than we serve ({}); answering v0 UNSUPPORTED_VERSION",
                    version, ctx.channel().remoteAddress(), served);
            ApiVersionsResponseData body = new ApiVersionsResponseData()
                    .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                    .setApiKeys(table.toApiVersions());
            out.add(new OutboundResponse(api, (short) 0, header.correlationId(), body, arrivalNanos));
            return;
        }
        boolean parseable = version >= api.messageType.lowestSupportedVersion()
                && version <= api.messageType.highestSupportedVersion(true);
        if (!parseable) {
            reject(ctx, api.name + " v" + version + " is not supported (" + served
                    + ") and cannot be parsed to build an error response", "unsupported version");
            return;
        }
        UnsupportedVersionException error = new UnsupportedVersionException(
                api.name + " v" + version + " is not supported by this broker (" + served + ")");
        ApiMessage response;
        try {
            response = ErrorResponses.forSerializedBody(api, version, frame, error);
        } catch (RuntimeException e) {
            reject(ctx, api.name + " v" + version + " is not supported (" + served
                    + ") and no error response could be built: " + e, "unsupported version");
            return;
        }
        if (response == null) {
            reject(ctx, api.name + " v" + version + " is not supported (" + served
                    + ") and the request (acks=0) has no response to carry the error", "unsupported version");
            return;
        }
        LOG.info("Answering {} v{} from {} (client {}) with UNSUPPORTED_VERSION: {}", api.name, version,
                ctx.channel().remoteAddress(), header.clientId(), served);
        out.add(new OutboundResponse(api, version, header.correlationId(), response, arrivalNanos));
    }

    private void reject(ChannelHandlerContext ctx, String why, String shortReason) {
        rejected = true;
        LOG.warn("Closing Kafka connection from {}: {}", ctx.channel().remoteAddress(), why);
        metrics.connectionRejected(shortReason);
        ctx.close();
    }
}
