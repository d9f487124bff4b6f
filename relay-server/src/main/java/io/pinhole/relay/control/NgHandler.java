package io.pinhole.relay.control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.pinhole.wire.ng.BencodeException;
import io.pinhole.wire.ng.BencodeReader;
import io.pinhole.wire.ng.BencodeWriter;
import io.pinhole.wire.ng.NgDatagram;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ng datagram adapter: {@code <cookie> <bencoded dict>} in, the same cookie and a bencoded dict
 * out. Looks up retransmitted cookies, checks the shared secret, dispatches by {@code command}
 * and turns every wire-level failure into an ng error reply (never silence).
 */
final class NgHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(NgHandler.class);

    private final NgCommandTable commands;
    private final ReplyCache cache;
    private final byte[] secret;
    private final LongSupplier nanoClock;

    NgHandler(NgCommandTable commands, ReplyCache cache, String secret, LongSupplier nanoClock) {
        this.commands = commands;
        this.cache = cache;
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.ISO_8859_1);
        this.nanoClock = nanoClock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        byte[] data = ByteBufUtil.getBytes(packet.content());
        int space = NgDatagram.cookieEnd(data, data.length);
        if (space < 0) {
            log.debug("ng datagram without a cookie from {}", packet.sender());
            return; // no cookie: nothing a client could match a reply to
        }
        String cookie = NgDatagram.cookie(data, space);
        long now = nanoClock.getAsLong();
        byte[] reply = cache.get(cookie, now);
        if (reply == null) {
            reply = BencodeWriter.encode(handle(data, space + 1, packet));
            cache.put(cookie, reply, now);
        }
        ByteBuf out = Unpooled.buffer(space + 1 + reply.length);
        out.writeBytes(data, 0, space + 1).writeBytes(reply);
        ctx.writeAndFlush(new DatagramPacket(out, packet.sender()));
    }

    private Map<String, Object> handle(byte[] data, int offset, DatagramPacket packet) {
        Map<String, Object> dict;
        try {
            dict = BencodeReader.decodeDictionary(data, offset, data.length - offset);
        } catch (BencodeException e) {
            log.info("ng from {}: {}", packet.sender(), e.getMessage());
            return error(data.length > offset && data[offset] == 'd' ? "Could not decode bencode dictionary"
                    : "Invalid NG data format");
        }
        NgRequest request = new NgRequest(dict);
        String name = null;
        try {
            if (secret != null && !secretMatches(request.string("secret"))) {
                throw new NgException("Authentication failed");
            }
            name = request.string("command");
            NgCommand command = commands.find(name);
            if (command == null) {
                throw new NgException(name == null ? "No command in message" : "Unrecognized command");
            }
            return command.execute(request);
        } catch (NgException e) {
            log.info("ng {} call-id {} from {}: {}", name, dict.get("call-id"), packet.sender(), e.getMessage());
            return error(e.getMessage());
        } catch (RuntimeException e) {
            // a bug of ours: the client still gets an answer instead of retransmitting into silence
            log.error("ng {} call-id {} from {} failed", name, dict.get("call-id"), packet.sender(), e);
            return error("Internal error");
        }
    }

    private boolean secretMatches(String given) {
        return given != null && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Map<String, Object> error(String reason) {
        return Map.of("result", "error", "error-reason", reason);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a UDP socket survives a bad datagram; log and keep serving
        log.warn("ng control socket error", cause);
    }
}
