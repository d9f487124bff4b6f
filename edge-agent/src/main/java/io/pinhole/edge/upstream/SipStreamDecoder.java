package io.pinhole.edge.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Cuts SIP messages out of a TCP/TLS byte stream (RFC 3261 18.3: headers up to the blank line,
 * then Content-Length bytes). CRLFs between messages are RFC 5626 keepalives: a run of four or
 * more bytes (CRLFCRLF) is the proxy's ping, passed on as {@link #PING} for the link to answer; a
 * shorter run is the answer to ours, passed on as {@link #PONG}, so the link can tell the
 * connection lives.
 */
final class SipStreamDecoder extends ByteToMessageDecoder {

    static final Object PONG = new Object();
    static final Object PING = new Object();
    private static final int MAX_MESSAGE = 65_535;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int crlf = 0;
            while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
                in.skipBytes(1);
                crlf++;
            }
            if (crlf > 0) {
                out.add(crlf >= 4 ? PING : PONG);
                continue;
            }
            int start = in.readerIndex();
            int end = indexOfBlankLine(in, start);
            if (end < 0) {
                if (in.readableBytes() > MAX_MESSAGE) {
                    in.skipBytes(in.readableBytes()); // the stream cannot be resynchronised: the link closes
                    throw new CorruptedFrameException("SIP headers longer than " + MAX_MESSAGE + " bytes");
                }
                return;
            }
            String head = in.toString(start, end - start, StandardCharsets.UTF_8);
            int length = contentLength(head);
            if (length < 0 || length > MAX_MESSAGE) {
                in.skipBytes(in.readableBytes());
                throw new CorruptedFrameException("bad Content-Length in a message from upstream");
            }
            int total = end + 4 - start + length;
            if (in.readableBytes() < total) {
                return;
            }
            byte[] message = new byte[total];
            in.readBytes(message);
            out.add(message);
        }
    }

    private static int indexOfBlankLine(ByteBuf in, int from) {
        int to = in.writerIndex() - 3;
        for (int i = from; i < to; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r' && in.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Content-Length (or l) of a header block; 0 when absent (stream transports require it, but be lenient), -1 when bad. */
    static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (name.equals("content-length") || name.equals("l")) {
                try {
                    return Integer.parseInt(line.substring(colon + 1).strip());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return 0;
    }
}
