package io.pinhole.wire.stun;

import static io.pinhole.wire.stun.StunAttributeType.CHANGED_ADDRESS;
import static io.pinhole.wire.stun.StunAttributeType.CHANGE_REQUEST;
import static io.pinhole.wire.stun.StunAttributeType.ERROR_CODE;
import static io.pinhole.wire.stun.StunAttributeType.FINGERPRINT;
import static io.pinhole.wire.stun.StunAttributeType.MAPPED_ADDRESS;
import static io.pinhole.wire.stun.StunAttributeType.MESSAGE_INTEGRITY;
import static io.pinhole.wire.stun.StunAttributeType.OTHER_ADDRESS;
import static io.pinhole.wire.stun.StunAttributeType.RESPONSE_ORIGIN;
import static io.pinhole.wire.stun.StunAttributeType.SOFTWARE;
import static io.pinhole.wire.stun.StunAttributeType.SOURCE_ADDRESS;
import static io.pinhole.wire.stun.StunAttributeType.UNKNOWN_ATTRIBUTES;
import static io.pinhole.wire.stun.StunAttributeType.USERNAME;
import static io.pinhole.wire.stun.StunAttributeType.XOR_MAPPED_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Binding answer as a table: request, receiving socket and the server's other address and
 * port in; the answer's kind, code, source socket and attribute list out. The server has
 * addresses A1 = 192.0.2.10 and A2 = 192.0.2.11, ports P1 = 3478 and P2 = 3479 (RFC 5780's
 * names); the client is 203.0.113.5:40000.
 */
class BindingResponderTest {

    private static final InetAddress A1 = ip("192.0.2.10");
    private static final InetAddress A2 = ip("192.0.2.11");
    private static final InetSocketAddress A1P1 = new InetSocketAddress(A1, 3478);
    private static final InetSocketAddress A1P2 = new InetSocketAddress(A1, 3479);
    private static final InetSocketAddress A2P1 = new InetSocketAddress(A2, 3478);
    private static final InetSocketAddress A2P2 = new InetSocketAddress(A2, 3479);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(ip("203.0.113.5"), 40000);
    private static final Alternate FULL = new Alternate(A2, 3479);
    private static final Alternate PORT_ONLY = new Alternate(null, 3479);
    private static final TransactionId ID = new TransactionId(0x01020304, 0x05060708, 0x090a0b0c);
    private static final int PRIORITY = 0x0024;
    private static final int RESPONSE_PORT = 0x0027;
    private static final int PADDING = 0x0026;
    private static final int RESPONSE_ADDRESS = 0x0002;

    private final BindingResponder responder = new BindingResponder("Pinhole test");

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static StunMessage request(StunAttribute... attributes) {
        return StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, ID, List.of(attributes));
    }

    /** An RFC 3489 request: its cookie field is the first word of a 128-bit transaction ID. */
    private static StunMessage classic(StunAttribute... attributes) {
        return new StunMessage(0x0001, 0x0badcafe, ID, List.of(attributes));
    }

    private static StunAttribute change(boolean ip, boolean port) {
        return new StunAttribute(CHANGE_REQUEST, new ChangeRequest(ip, port).encode());
    }

    private static StunAttribute attr(int type, int length) {
        return new StunAttribute(type, new byte[length]);
    }

    /** name, request, socket it arrived on, alternate (null = media port), code (0 = success), sent from, attributes */
    static Stream<Arguments> table() {
        return Stream.of(
                row("media port: plain RFC 5389 answer", request(), A1P1, null, 0, A1P1,
                        XOR_MAPPED_ADDRESS, SOFTWARE, FINGERPRINT),
                row("STUN port, two addresses: RFC 5780 attributes", request(), A1P1, FULL, 0, A1P1,
                        XOR_MAPPED_ADDRESS, MAPPED_ADDRESS, RESPONSE_ORIGIN, OTHER_ADDRESS, SOFTWARE, FINGERPRINT),
                row("STUN port, one address: no OTHER-ADDRESS", request(), A1P1, PORT_ONLY, 0, A1P1,
                        XOR_MAPPED_ADDRESS, MAPPED_ADDRESS, RESPONSE_ORIGIN, SOFTWARE, FINGERPRINT),
                row("STUN port, one socket", request(), A1P1, Alternate.NONE, 0, A1P1,
                        XOR_MAPPED_ADDRESS, MAPPED_ADDRESS, RESPONSE_ORIGIN, SOFTWARE, FINGERPRINT),
                row("wildcard socket: no RESPONSE-ORIGIN", request(), new InetSocketAddress(ip("0.0.0.0"), 3478),
                        PORT_ONLY, 0, new InetSocketAddress(ip("0.0.0.0"), 3478),
                        XOR_MAPPED_ADDRESS, MAPPED_ADDRESS, SOFTWARE, FINGERPRINT),
                row("change port", request(change(false, true)), A1P1, FULL, 0, A1P2,
                        XOR_MAPPED_ADDRESS, MAPPED_ADDRESS, RESPONSE_ORIGIN, OTHER_ADDRESS, SOFTWARE, FINGERPRINT),
                row("change IP", request(change(true, false)), A1P1, FULL, 0, A2P1,
                        XOR_MAPPED_ADDRESS, MAPPED_ADDRESS, RESPONSE_ORIGIN, OTHER_ADDRESS, SOFTWARE, FINGERPRINT),
                row("change IP and port", request(change(true, true)), A1P1, FULL, 0, A2P2,
                        XOR_MAPPED_ADDRESS, MAPPED_ADDRESS, RESPONSE_ORIGIN, OTHER_ADDRESS, SOFTWARE, FINGERPRINT),
                row("change port, arrived on P2 and A2", request(change(false, true)), A2P2, new Alternate(A1, 3478), 0,
                        A2P1, XOR_MAPPED_ADDRESS, MAPPED_ADDRESS, RESPONSE_ORIGIN, OTHER_ADDRESS, SOFTWARE, FINGERPRINT),
                row("change port on one address", request(change(false, true)), A1P1, PORT_ONLY, 0, A1P2,
                        XOR_MAPPED_ADDRESS, MAPPED_ADDRESS, RESPONSE_ORIGIN, SOFTWARE, FINGERPRINT),
                row("no change asked: as if absent", request(change(false, false)), A1P1, Alternate.NONE, 0, A1P1,
                        XOR_MAPPED_ADDRESS, MAPPED_ADDRESS, RESPONSE_ORIGIN, SOFTWARE, FINGERPRINT),
                row("change IP on one address: 420", request(change(true, false)), A1P1, PORT_ONLY, 420, A1P1,
                        ERROR_CODE, UNKNOWN_ATTRIBUTES, SOFTWARE, FINGERPRINT),
                row("change IP and port on one address: 420", request(change(true, true)), A1P1, PORT_ONLY, 420, A1P1,
                        ERROR_CODE, UNKNOWN_ATTRIBUTES, SOFTWARE, FINGERPRINT),
                row("change port with one port: 420", request(change(false, true)), A1P1, Alternate.NONE, 420, A1P1,
                        ERROR_CODE, UNKNOWN_ATTRIBUTES, SOFTWARE, FINGERPRINT),
                row("CHANGE-REQUEST on a media port: 420", request(change(false, false)), A1P1, null, 420, A1P1,
                        ERROR_CODE, UNKNOWN_ATTRIBUTES, SOFTWARE, FINGERPRINT),
                row("CHANGE-REQUEST of 8 bytes: 400", request(attr(CHANGE_REQUEST, 8)), A1P1, FULL, 400, A1P1,
                        ERROR_CODE, SOFTWARE, FINGERPRINT),
                row("ICE PRIORITY: 420", request(attr(PRIORITY, 4)), A1P1, null, 420, A1P1,
                        ERROR_CODE, UNKNOWN_ATTRIBUTES, SOFTWARE, FINGERPRINT),
                row("RESPONSE-PORT (not supported): 420", request(attr(RESPONSE_PORT, 4)), A1P1, FULL, 420, A1P1,
                        ERROR_CODE, UNKNOWN_ATTRIBUTES, SOFTWARE, FINGERPRINT),
                row("PADDING (not supported): 420", request(attr(PADDING, 1200)), A1P1, FULL, 420, A1P1,
                        ERROR_CODE, UNKNOWN_ATTRIBUTES, SOFTWARE, FINGERPRINT),
                row("unknown comprehension-optional: ignored", request(attr(0x8001, 4)), A1P1, null, 0, A1P1,
                        XOR_MAPPED_ADDRESS, SOFTWARE, FINGERPRINT),
                row("MESSAGE-INTEGRITY is accepted", request(attr(USERNAME, 9), attr(MESSAGE_INTEGRITY, 20)), A1P1, null,
                        0, A1P1, XOR_MAPPED_ADDRESS, SOFTWARE, FINGERPRINT),
                row("unknown after MESSAGE-INTEGRITY: ignored", request(attr(MESSAGE_INTEGRITY, 20), attr(PRIORITY, 4)),
                        A1P1, null, 0, A1P1, XOR_MAPPED_ADDRESS, SOFTWARE, FINGERPRINT),
                row("MESSAGE-INTEGRITY of 12 bytes: 400", request(attr(MESSAGE_INTEGRITY, 12)), A1P1, null, 400, A1P1,
                        ERROR_CODE, SOFTWARE, FINGERPRINT),
                row("USERNAME of 513 bytes: 400", request(attr(USERNAME, 513)), A1P1, null, 400, A1P1,
                        ERROR_CODE, SOFTWARE, FINGERPRINT),
                row("400 before 420", request(attr(PRIORITY, 4), attr(MESSAGE_INTEGRITY, 2)), A1P1, null, 400, A1P1,
                        ERROR_CODE, SOFTWARE, FINGERPRINT),
                row("RFC 3489 client: its own attribute names, no SOFTWARE or FINGERPRINT", classic(change(false, false)),
                        A1P1, FULL, 0, A1P1, MAPPED_ADDRESS, SOURCE_ADDRESS, CHANGED_ADDRESS),
                row("RFC 3489 client, change IP and port", classic(change(true, true)), A1P1, FULL, 0, A2P2,
                        MAPPED_ADDRESS, SOURCE_ADDRESS, CHANGED_ADDRESS),
                row("RFC 3489 client, one address", classic(), A1P1, PORT_ONLY, 0, A1P1, MAPPED_ADDRESS, SOURCE_ADDRESS),
                row("RFC 3489 RESPONSE-ADDRESS: 420 (RFC 5389 section 12.2)",
                        classic(new StunAttribute(RESPONSE_ADDRESS, StunAddress.encode(CLIENT))), A1P1, FULL, 420, A1P1,
                        ERROR_CODE, UNKNOWN_ATTRIBUTES));
    }

    private static Arguments row(String name, StunMessage request, InetSocketAddress local, Alternate alternate,
                                 int code, InetSocketAddress from, int... attributes) {
        return Arguments.of(name, request, local, alternate, code, from, attributes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void answers(String name, StunMessage request, InetSocketAddress local, Alternate alternate, int code,
                 InetSocketAddress from, int[] attributes) throws Exception {
        BindingAnswer answer = responder.answer(request, CLIENT, local, alternate);

        assertThat(answer).isInstanceOf(BindingAnswer.Reply.class);
        BindingAnswer.Reply reply = (BindingAnswer.Reply) answer;
        assertThat(reply.errorCode()).isEqualTo(code);
        assertThat(reply.from()).isEqualTo(from);
        StunMessage response = StunCodec.decode(reply.datagram(), 0, reply.datagram().length, request.rfc3489());
        assertThat(response.cookie()).as("cookie field echoed").isEqualTo(request.cookie());
        assertThat(response.transactionId()).isEqualTo(ID);
        assertThat(response.method()).isEqualTo(StunMessage.BINDING);
        assertThat(response.messageClass()).isEqualTo(code == 0 ? StunClass.SUCCESS_RESPONSE : StunClass.ERROR_RESPONSE);
        assertThat(response.attributes().stream().mapToInt(StunAttribute::type).toArray()).isEqualTo(attributes);
        if (code != 0) {
            assertThat(ErrorCode.decode(response.attribute(ERROR_CODE).value()).code()).isEqualTo(code);
            return;
        }
        StunAttribute xor = response.attribute(XOR_MAPPED_ADDRESS);
        if (xor != null) {
            assertThat(StunAddress.decodeXor(xor.value(), response.cookie(), ID)).isEqualTo(CLIENT);
        }
        StunAttribute mapped = response.attribute(MAPPED_ADDRESS);
        if (mapped != null) {
            assertThat(StunAddress.decode(mapped.value())).isEqualTo(CLIENT);
        }
        for (int originType : new int[] {RESPONSE_ORIGIN, SOURCE_ADDRESS}) {
            StunAttribute origin = response.attribute(originType);
            if (origin != null) {
                assertThat(StunAddress.decode(origin.value())).as("origin is the socket it leaves from").isEqualTo(from);
            }
        }
        for (int otherType : new int[] {OTHER_ADDRESS, CHANGED_ADDRESS}) {
            StunAttribute other = response.attribute(otherType);
            if (other != null) {
                assertThat(StunAddress.decode(other.value())).as("other address is Ca:Cp whatever the flags")
                        .isEqualTo(new InetSocketAddress(alternate.address(), alternate.port()));
            }
        }
    }

    @Test
    void listsEachUnknownAttributeOnceInOrder() throws Exception {
        BindingAnswer.Reply reply = (BindingAnswer.Reply) responder.answer(
                request(attr(0x7F00, 0), attr(PRIORITY, 4), attr(0x7F00, 4), attr(0x8123, 4), attr(PRIORITY, 4)),
                CLIENT, A1P1, null);
        StunMessage response = StunCodec.decode(reply.datagram());
        assertThat(UnknownAttributes.decode(response.attribute(UNKNOWN_ATTRIBUTES).value()))
                .containsExactly(0x7F00, PRIORITY);
        assertThat(ErrorCode.decode(response.attribute(ERROR_CODE).value()))
                .isEqualTo(new ErrorCode(420, "Unknown Attribute"));
    }

    @Test
    void listsAtMost32UnknownAttributes() throws Exception {
        List<StunAttribute> many = new ArrayList<>();
        for (int t = 0x7000; t < 0x7000 + 400; t++) {
            many.add(attr(t, 0));
        }
        BindingAnswer.Reply reply = (BindingAnswer.Reply) responder.answer(
                StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, ID, many), CLIENT, A1P1, null);
        assertThat(UnknownAttributes.decode(StunCodec.decode(reply.datagram()).attribute(UNKNOWN_ATTRIBUTES).value()))
                .hasSize(32).startsWith(0x7000, 0x7001);
    }

    @Test
    void namesChangeRequestWhenItCannotChange() throws Exception {
        BindingAnswer.Reply reply = (BindingAnswer.Reply) responder.answer(request(change(true, false)), CLIENT,
                A1P1, PORT_ONLY);
        assertThat(UnknownAttributes.decode(StunCodec.decode(reply.datagram()).attribute(UNKNOWN_ATTRIBUTES).value()))
                .containsExactly(CHANGE_REQUEST);
    }

    @Test
    void saysWhatWasBadIn400() throws Exception {
        BindingAnswer.Reply reply = (BindingAnswer.Reply) responder.answer(request(attr(CHANGE_REQUEST, 8)), CLIENT,
                A1P1, FULL);
        assertThat(ErrorCode.decode(StunCodec.decode(reply.datagram()).attribute(ERROR_CODE).value()).reason())
                .isEqualTo("Bad Request: CHANGE-REQUEST of 8 bytes, not 4");
    }

    @Test
    void padsErrorsForRfc3489ClientsAsThatRfcDid() throws Exception {
        BindingAnswer.Reply reply = (BindingAnswer.Reply) responder.answer(
                classic(new StunAttribute(RESPONSE_ADDRESS, StunAddress.encode(CLIENT))), CLIENT, A1P1, FULL);
        StunMessage response = StunCodec.decode(reply.datagram(), 0, reply.datagram().length, true);
        byte[] error = response.attribute(ERROR_CODE).value();
        assertThat(error.length % 4).isZero();
        assertThat(new String(error, 4, error.length - 4, StandardCharsets.UTF_8)).isEqualTo("Unknown Attribute   ");
        assertThat(UnknownAttributes.decode(response.attribute(UNKNOWN_ATTRIBUTES).value()))
                .containsExactly(RESPONSE_ADDRESS, RESPONSE_ADDRESS);
    }

    @Test
    void answersTheRfc5769SampleRequestWith420ForIcePriority() throws Exception {
        BindingAnswer answer = responder.answer(ByteBuffer.wrap(Rfc5769.REQUEST), false, CLIENT, A1P1, null);
        BindingAnswer.Reply reply = (BindingAnswer.Reply) answer;
        assertThat(reply.errorCode()).isEqualTo(420);
        StunMessage response = StunCodec.decode(reply.datagram());
        assertThat(response.transactionId()).isEqualTo(Rfc5769.ID);
        assertThat(UnknownAttributes.decode(response.attribute(UNKNOWN_ATTRIBUTES).value())).containsExactly(PRIORITY);
    }

    @Test
    void answersAnIpv6Client() throws Exception {
        InetSocketAddress client = new InetSocketAddress(ip("2001:db8::5"), 40000);
        InetSocketAddress local = new InetSocketAddress(ip("2001:db8::10"), 3478);
        BindingAnswer.Reply reply = (BindingAnswer.Reply) responder.answer(request(), client, local,
                new Alternate(ip("2001:db8::11"), 3479));
        StunMessage response = StunCodec.decode(reply.datagram());
        assertThat(StunAddress.decodeXor(response.attribute(XOR_MAPPED_ADDRESS).value(), response.cookie(), ID))
                .isEqualTo(client);
        assertThat(StunAddress.decode(response.attribute(OTHER_ADDRESS).value()))
                .isEqualTo(new InetSocketAddress(ip("2001:db8::11"), 3479));
    }

    @Test
    void ignoresWhatNeedsNoAnswer() {
        StunMessage indication = StunMessage.of(StunMessage.BINDING, StunClass.INDICATION, ID, List.of());
        StunMessage success = StunMessage.of(StunMessage.BINDING, StunClass.SUCCESS_RESPONSE, ID, List.of());
        StunMessage error = StunMessage.of(StunMessage.BINDING, StunClass.ERROR_RESPONSE, ID, List.of());
        StunMessage allocate = StunMessage.of(0x003, StunClass.REQUEST, ID, List.of());
        for (StunMessage m : List.of(indication, success, error, allocate)) {
            assertThat(responder.answer(m, CLIENT, A1P1, FULL)).as(m.toString()).isInstanceOf(BindingAnswer.Ignore.class);
            assertThat(responder.answer(m, CLIENT, A1P1, null)).as(m.toString()).isInstanceOf(BindingAnswer.Ignore.class);
        }
    }

    @Test
    void dropsWhatIsNotStun() {
        byte[] classicBytes = StunCodec.encode(classic(), false);
        assertThat(responder.answer(ByteBuffer.wrap(classicBytes), false, CLIENT, A1P1, null))
                .isEqualTo(new BindingAnswer.Malformed("magic cookie is 0x0badcafe, not 0x2112a442"));
        assertThat(responder.answer(ByteBuffer.wrap(classicBytes), true, CLIENT, A1P1, FULL))
                .isInstanceOf(BindingAnswer.Reply.class);
        byte[] rtp = new byte[172];
        rtp[0] = (byte) 0x80;
        assertThat(responder.answer(ByteBuffer.wrap(rtp), true, CLIENT, A1P1, FULL))
                .isInstanceOf(BindingAnswer.Malformed.class);
        assertThat(responder.answer(ByteBuffer.wrap(Arrays.copyOf(Rfc5769.REQUEST, 30)), false, CLIENT, A1P1, null))
                .isInstanceOf(BindingAnswer.Malformed.class);
    }

    @Test
    void leavesSoftwareOutWhenEmpty() throws Exception {
        BindingAnswer.Reply reply = (BindingAnswer.Reply) new BindingResponder("").answer(request(), CLIENT, A1P1, null);
        assertThat(StunCodec.decode(reply.datagram()).attributes()).extracting(StunAttribute::type)
                .containsExactly(XOR_MAPPED_ADDRESS, FINGERPRINT);
    }
}
