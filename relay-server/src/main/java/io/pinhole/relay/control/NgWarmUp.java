package io.pinhole.relay.control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.pinhole.wire.ng.BencodeException;
import io.pinhole.wire.ng.BencodeReader;
import io.pinhole.wire.ng.BencodeWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs whole calls (offer, answer, delete, with real media sockets bound and closed) through the
 * ng datagram adapter before the control socket opens, so the first real calls meet compiled
 * code. Measured on 2 shared cores: a fresh relay at 200 calls/s answered ng commands more than
 * 2 s late for its first seconds (its control thread waiting on media-loop binds running in the
 * interpreter); the proxy gave up on it and about 1,100 of the first 6,000 calls failed.
 *
 * <p>The caller gives it a command table of its own (own registry, statistics and port pool, the
 * real media transport), so the relay's counters, call list and ports never show these calls.
 */
public final class NgWarmUp {

    private static final Logger log = LoggerFactory.getLogger(NgWarmUp.class);

    private static final InetSocketAddress CONTROL = new InetSocketAddress("127.0.0.1", 2223);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5060);
    private static final String OFFER = sdp("192.0.2.10", 40000);
    private static final String ANSWER = sdp("192.0.2.20", 42000);

    /** What the warm-up did: the calls it completed, and the first failure's reason if it stopped early. */
    public record Outcome(int calls, long millis, String failure) {
    }

    private final NgCommandTable commands;

    public NgWarmUp(NgCommandTable commands) {
        this.commands = commands;
    }

    /** Runs {@code calls} calls, one after the other; stops at the first command that fails. */
    public Outcome run(int calls) {
        long start = System.nanoTime();
        EmbeddedChannel channel = new EmbeddedChannel(
                new NgHandler(commands, new ReplyCache(TimeUnit.SECONDS.toNanos(1), 16), null, System::nanoTime));
        int done = 0;
        String failure = null;
        try {
            for (; done < calls && failure == null; done++) {
                String callId = "pinhole-warm-up-" + done;
                failure = exchange(channel, "w" + done + "o", offer(callId));
                if (failure == null) {
                    failure = exchange(channel, "w" + done + "a", answer(callId));
                }
                String deleted = exchange(channel, "w" + done + "d", Map.of("command", "delete", "call-id", callId));
                if (failure == null) {
                    failure = deleted;
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        int completed = failure == null ? done : done - 1;
        if (failure == null) {
            log.info("relay warm-up: {} calls (offer, answer, delete) in {} ms", completed, millis);
        } else {
            log.warn("relay warm-up stopped after {} calls: {}; the first real calls meet a cold JVM", completed, failure);
        }
        return new Outcome(completed, millis, failure);
    }

    /** One command through the adapter; null when it succeeded, the reason when not. */
    private static String exchange(EmbeddedChannel channel, String cookie, Map<String, Object> command) {
        byte[] prefix = (cookie + " ").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf in = Unpooled.wrappedBuffer(prefix, BencodeWriter.encode(command));
        channel.writeInbound(new DatagramPacket(in, CONTROL, CLIENT));
        DatagramPacket reply = channel.readOutbound();
        if (reply == null) {
            return command.get("command") + ": no reply";
        }
        try {
            byte[] bytes = new byte[reply.content().readableBytes()];
            reply.content().readBytes(bytes);
            Map<String, Object> dict = BencodeReader.decodeDictionary(bytes, prefix.length, bytes.length - prefix.length);
            Object result = dict.get("result");
            return "ok".equals(result) ? null : command.get("command") + ": " + result + " " + dict.get("error-reason");
        } catch (BencodeException e) {
            return command.get("command") + ": unreadable reply: " + e.getMessage();
        } finally {
            reply.release();
        }
    }

    /** The options a Pinhole proxy sends, so their parsing is warmed too. */
    private static Map<String, Object> offer(String callId) {
        return common("offer", callId, OFFER);
    }

    private static Map<String, Object> answer(String callId) {
        Map<String, Object> command = common("answer", callId, ANSWER);
        command.put("to-tag", "callee");
        return command;
    }

    private static Map<String, Object> common(String name, String callId, String sdp) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("command", name);
        command.put("call-id", callId);
        command.put("from-tag", "caller");
        command.put("sdp", sdp);
        command.put("flags", List.of("SIP-source-address"));
        command.put("replace", List.of("origin", "session-connection"));
        command.put("ICE", "remove");
        command.put("received-from", List.of("IP4", "192.0.2.1"));
        return command;
    }

    private static String sdp(String address, int port) {
        return "v=0\r\n"
                + "o=- 1 1 IN IP4 " + address + "\r\n"
                + "s=-\r\n"
                + "c=IN IP4 " + address + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0 8 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\n"
                + "a=ptime:20\r\n"
                + "a=sendrecv\r\n";
    }
}
