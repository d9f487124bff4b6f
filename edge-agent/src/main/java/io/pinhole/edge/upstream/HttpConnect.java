package io.pinhole.edge.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a tunnel through a forward HTTP proxy (RFC 9110 9.3.6 CONNECT) at the head of a fresh
 * connection to that proxy: sends {@code CONNECT host:port}, reads the proxy's answer, and on a 2xx
 * calls {@code established} (which adds TLS after this handler, or starts SIP), passes on anything
 * that came after the answer and takes itself out of the pipeline. Any other answer, or none within
 * {@value #ANSWER_SECONDS} s, closes the connection with one log line quoting the proxy's status line.
 */
final class HttpConnect extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpConnect.class);
    static final int ANSWER_SECONDS = 10;
    /** An answer's head longer than this is no proxy's answer to CONNECT. */
    private static final int MAX_HEAD = 8192;

    private final String target;
    private final String proxy;
    private final Consumer<ChannelHandlerContext> established;
    private ByteBuf head;
    private ScheduledFuture<?> timeout;

    /**
     * @param target      host:port of the tunnel's far end (IPv6 in brackets)
     * @param proxy       the proxy, for log lines
     * @param established called on the event loop once the tunnel is open, this handler still in the pipeline
     */
    HttpConnect(String target, String proxy, Consumer<ChannelHandlerContext> established) {
        this.target = target;
        this.proxy = proxy;
        this.established = established;
    }

    /** The request: what a proxy needs, and nothing that tells more than the target. */
    static String request(String target) {
        return "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nUser-Agent: pinhole-edge\r\n\r\n";
    }

    /** The status code of an answer's first line, or -1 when it is no HTTP status line. */
    static int status(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        head = ctx.alloc().buffer(256);
        ctx.writeAndFlush(Unpooled.copiedBuffer(request(target), StandardCharsets.US_ASCII));
        timeout = ctx.executor().schedule(() -> {
            log.warn("The HTTP proxy {} did not answer CONNECT {} within {} s", proxy, target, ANSWER_SECONDS);
            ctx.close();
        }, ANSWER_SECONDS, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            head.writeBytes(in);
        } finally {
            in.release();
        }
        int end = indexOfBlankLine(head);
        if (end < 0) {
            if (head.readableBytes() > MAX_HEAD) {
                fail(ctx, "an answer head over " + MAX_HEAD + " bytes");
            }
            return;
        }
        String answer = head.toString(head.readerIndex(), end, StandardCharsets.ISO_8859_1);
        String statusLine = answer.lines().findFirst().orElse("");
        int status = status(statusLine);
        if (status < 200 || status > 299) {
            fail(ctx, statusLine.isEmpty() ? "an empty answer" : statusLine);
            return;
        }
        timeout.cancel(false);
        head.skipBytes(end + 4);
        ByteBuf rest = head;
        head = null;
        established.accept(ctx);
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        log.warn("The HTTP proxy {} refused CONNECT {}: {}", proxy, target, why);
        release();
        ctx.close();
    }

    private void release() {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (head != null) {
            head.release();
            head = null;
        }
    }

    private static int indexOfBlankLine(ByteBuf b) {
        for (int i = b.readerIndex(); i + 3 < b.writerIndex(); i++) {
            if (b.getByte(i) == '\r' && b.getByte(i + 1) == '\n' && b.getByte(i + 2) == '\r' && b.getByte(i + 3) == '\n') {
                return i - b.readerIndex();
            }
        }
        return -1;
    }
}
