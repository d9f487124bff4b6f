package io.pinhole.relay.control;

import io.netty.channel.EventLoop;
import io.pinhole.wire.ng.BencodeException;
import io.pinhole.wire.ng.BencodeReader;
import io.pinhole.wire.ng.BencodeWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
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
 * The commands go over a scratch control socket of the production kind (NIO, on the control
 * thread, loopback), closed afterwards: an in-memory channel would train Netty's shared channel
 * code on a channel type production never sees, and C2 code built on that profile traps (is
 * thrown out) when the real control and media sockets arrive.
 */
public final class NgWarmUp {

    private static final Logger log = LoggerFactory.getLogger(NgWarmUp.class);

    private static final int REPLY_TIMEOUT_MILLIS = 5_000;
    private static final String OFFER = sdp("192.0.2.10", 40000);
    private static final String ANSWER = sdp("192.0.2.20", 42000);

    /** What the warm-up did: the calls it completed, and the first failure's reason if it stopped early. */
    public record Outcome(int calls, long millis, String failure) {
    }

    private final NgCommandTable commands;
    private final EventLoop controlLoop;
    private final InetAddress bindAddress;

    /**
     * @param controlLoop the control thread, where the scratch socket's handler runs as the real one's does
     * @param bindAddress the control socket's address; the scratch socket takes any free port on it
     */
    public NgWarmUp(NgCommandTable commands, EventLoop controlLoop, InetAddress bindAddress) {
        this.commands = commands;
        this.controlLoop = controlLoop;
        this.bindAddress = bindAddress;
    }

    /** Runs {@code calls} calls, one after the other; stops at the first command that fails. */
    public Outcome run(int calls) throws InterruptedException {
        long start = System.nanoTime();
        InetAddress local = bindAddress.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bindAddress;
        int done = 0;
        String failure = null;
        NgServer scratch = new NgServer(controlLoop, new InetSocketAddress(local, 0), commands, "",
                TimeUnit.SECONDS.toNanos(1), System::nanoTime);
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(local, 0))) {
            client.setSoTimeout(REPLY_TIMEOUT_MILLIS);
            InetSocketAddress server = scratch.localAddress();
            for (; done < calls && failure == null; done++) {
                String callId = "pinhole-warm-up-" + done;
                failure = exchange(client, server, "w" + done + "o", offer(callId));
                if (failure == null) {
                    failure = exchange(client, server, "w" + done + "a", answer(callId));
                }
                String deleted = exchange(client, server, "w" + done + "d",
                        Map.of("command", "delete", "call-id", callId));
                if (failure == null) {
                    failure = deleted;
                }
            }
        } catch (IOException e) {
            failure = "scratch control socket: " + e.getMessage();
            done++; // counted as the call that failed
        } finally {
            scratch.close();
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

    /** One command over the scratch socket; null when it succeeded, the reason when not. */
    private static String exchange(DatagramSocket client, InetSocketAddress server, String cookie,
                                   Map<String, Object> command) throws IOException {
        byte[] prefix = (cookie + " ").getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = BencodeWriter.encode(command);
        byte[] out = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        client.send(new DatagramPacket(out, out.length, server));
        byte[] in = new byte[65_536];
        DatagramPacket reply = new DatagramPacket(in, in.length);
        try {
            do {
                reply.setLength(in.length);
                client.receive(reply);
            } while (!startsWith(in, reply.getLength(), prefix)); // a late reply to an earlier command
        } catch (SocketTimeoutException e) {
            return command.get("command") + ": no reply";
        }
        try {
            Map<String, Object> dict = BencodeReader.decodeDictionary(in, prefix.length, reply.getLength() - prefix.length);
            Object result = dict.get("result");
            return "ok".equals(result) ? null : command.get("command") + ": " + result + " " + dict.get("error-reason");
        } catch (BencodeException e) {
            return command.get("command") + ": unreadable reply: " + e.getMessage();
        }
    }

    private static boolean startsWith(byte[] data, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
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
