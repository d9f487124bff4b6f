package io.pinhole.relay.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.pinhole.relay.bencode.BencodeException;
import io.pinhole.relay.bencode.BencodeReader;
import io.pinhole.relay.bencode.BencodeWriter;
import io.pinhole.relay.call.Call;
import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.OfferAnswer;
import io.pinhole.relay.media.MediaTransport;
import io.pinhole.relay.ports.PortPool;
import io.pinhole.relay.stats.RelayStatistics;
import io.pinhole.wire.fuzz.FuzzLoop;
import io.pinhole.wire.stun.BindingResponder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ng control protocol on mutated commands: the bencode codec and the typed request parsing
 * alone, and whole datagrams through {@link NgHandler} into the real command table (offers and
 * answers bind real loopback sockets, from a small pool; every call is removed after each input).
 * Every datagram with a cookie gets a reply, and none is the catch-all's "Internal error": a bad
 * command is an ng error naming the cause, never an exception of ours.
 */
class NgFuzzTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5060);
    private static final InetSocketAddress CONTROL = new InetSocketAddress("127.0.0.1", 2223);

    private final MediaTransport transport = new MediaTransport(InetAddress.getLoopbackAddress(), 1, 2048, 16,
            new BindingResponder("fuzz"), 0);

    @AfterEach
    void close() {
        transport.close();
    }

    static List<byte[]> seeds() {
        List<Map<String, Object>> commands = new ArrayList<>();
        commands.add(Map.of("command", "ping"));
        commands.add(command("offer", sdp("192.0.2.10", 40000)));
        Map<String, Object> answer = command("answer", sdp("192.0.2.20", 42000));
        answer.put("to-tag", "callee");
        answer.put("rtcp-mux", List.of("demux"));
        answer.put("direction", List.of("internal", "external"));
        answer.put("media-address", "2001:db8::5");
        commands.add(answer);
        Map<String, Object> forced = command("offer", sdp("10.0.0.5", 4000) + "m=video 4002 RTP/AVP 96\r\na=rtcp-mux\r\n");
        forced.put("ICE", "force");
        forced.put("flags", List.of("trust-address", "strict-source", "asymmetric"));
        forced.put("rtcp-mux", List.of("offer", "accept"));
        forced.put("transport-protocol", "RTP/AVP");
        commands.add(forced);
        commands.add(Map.of("command", "delete", "call-id", "fuzz-1", "from-tag", "caller"));
        commands.add(Map.of("command", "query", "call-id", "fuzz-1"));
        commands.add(Map.of("command", "list", "limit", 32L));
        commands.add(Map.of("command", "statistics"));
        return commands.stream().map(BencodeWriter::encode).toList();
    }

    private static Map<String, Object> command(String name, String sdp) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("command", name);
        command.put("call-id", "fuzz-1");
        command.put("from-tag", "caller");
        command.put("sdp", sdp);
        command.put("flags", List.of("SIP-source-address"));
        command.put("replace", List.of("origin", "session-connection"));
        command.put("ICE", "remove");
        command.put("received-from", List.of("IP4", "192.0.2.1"));
        return command;
    }

    private static String sdp(String address, int port) {
        return "v=0\r\no=- 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
    }

    @Test
    void codecAndTypedRequestsOnlyRefuseWithTheirOwnExceptions() throws Exception {
        MediaOptionsParser options = new MediaOptionsParser(false);
        long inputs = FuzzLoop.of("ng-codec", seeds(), true, BencodeException.class, NgException.class).atLeast(1001).seconds(3)
                .run(input -> {
                    Map<String, Object> dict = BencodeReader.decodeDictionary(input, 0, input.length);
                    BencodeWriter.encode(dict);
                    NgRequest request = new NgRequest(dict);
                    request.string("command");
                    request.names("flags");
                    options.parse(request);
                });
        assertThat(inputs).isGreaterThan(1000);
    }

    @Test
    void everyCommandDatagramGetsAnAnswerThatIsNotAnInternalError() throws Exception {
        PortPool ports = new PortPool(46000, 46063, 0, System::nanoTime);
        CallRegistry registry = new CallRegistry(ports);
        OfferAnswer offerAnswer = new OfferAnswer(registry, transport, "127.0.0.1", false, System::nanoTime);
        NgCommandTable table = NgCommands.table(offerAnswer, registry, new RelayStatistics(), false);
        EmbeddedChannel channel = new EmbeddedChannel(
                new NgHandler(table, new ReplyCache(TimeUnit.SECONDS.toNanos(30), 64), null, System::nanoTime));
        AtomicLong cookies = new AtomicLong();
        try {
            long inputs = FuzzLoop.of("ng-commands", seeds(), true).atLeast(201).seconds(5).perInput(Duration.ofSeconds(2))
                    .run(input -> {
                        byte[] cookie = ("f" + cookies.incrementAndGet() + " ").getBytes(StandardCharsets.ISO_8859_1);
                        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(cookie, input), CONTROL, CLIENT));
                        DatagramPacket reply = channel.readOutbound();
                        assertThat(reply).as("reply").isNotNull();
                        try {
                            String text = reply.content().toString(StandardCharsets.ISO_8859_1);
                            assertThat(text).startsWith(new String(cookie, StandardCharsets.ISO_8859_1))
                                    .doesNotContain("Internal error");
                        } finally {
                            reply.release();
                            for (Call call : List.copyOf(registry.calls())) {
                                registry.remove(call, false);
                            }
                        }
                    });
            assertThat(inputs).isGreaterThan(200);
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
