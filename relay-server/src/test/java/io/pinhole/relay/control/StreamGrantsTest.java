package io.pinhole.relay.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.OfferAnswer;
import io.pinhole.relay.call.StreamGrant;
import io.pinhole.relay.media.MediaTransport;
import io.pinhole.relay.ports.PortPool;
import io.pinhole.wire.stun.BindingResponder;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code media-transport} and {@code answerer-media-transport} on offer and answer: which side
 * each token is for, which ports the reply names, and the errors for a transport not served.
 */
class StreamGrantsTest {

    private final MediaTransport transport = new MediaTransport(InetAddress.getLoopbackAddress(), 1, 2048, 16,
            new BindingResponder("grants"), 0);
    private final CallRegistry registry = new CallRegistry(new PortPool(47000, 47063, 0, System::nanoTime));
    private final OfferAnswer offerAnswer = new OfferAnswer(registry, transport, "127.0.0.1", false, System::nanoTime);
    private final MediaOptionsParser options = new MediaOptionsParser(false);

    @AfterEach
    void close() {
        transport.close();
    }

    private static Map<String, Object> command(String name, String toTag, Object... keys) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("command", name);
        command.put("call-id", "c1");
        command.put("from-tag", "caller");
        if (toTag != null) {
            command.put("to-tag", toTag);
        }
        command.put("sdp", "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0\r\n");
        for (int i = 0; i < keys.length; i += 2) {
            command.put((String) keys[i], keys[i + 1]);
        }
        return command;
    }

    private Map<String, Object> offer(StreamGrants grants, Object... keys) throws NgException {
        return new OfferCommand(offerAnswer, options, grants).execute(new NgRequest(command("offer", null, keys)));
    }

    @Test
    void answererTransportInAnOfferGrantsTheOtherSidesTokenWhichTheAnswerKeeps() throws NgException {
        StreamGrants grants = new StreamGrants(registry, 4571, 443, 0);
        Map<String, Object> offer = offer(grants, "answerer-media-transport", "tls");

        assertThat(offer).containsEntry("result", "ok").doesNotContainKey("tcp-token")
                .containsEntry("tcp-port", 4571L).containsEntry("tls-port", 443L).doesNotContainKey("http-port");
        String token = (String) offer.get("answerer-tcp-token");
        StreamGrant grant = registry.findStream(token);
        assertThat(grant.side()).isSameAs(registry.find("c1").second());

        Map<String, Object> answer = new AnswerCommand(offerAnswer, options, grants).execute(new NgRequest(
                command("answer", "callee", "media-transport", "tls")));
        assertThat(answer).containsEntry("tcp-token", token);
        assertThat(registry.find("c1").side("callee")).isSameAs(grant.side());
    }

    @Test
    void bothTransportsInOneOfferGiveTwoDifferentTokens() throws NgException {
        Map<String, Object> offer = offer(new StreamGrants(registry, 4571, 0, 8080), "media-transport", "tcp",
                "answerer-media-transport", "http");

        assertThat(offer.get("tcp-token")).isNotNull().isNotEqualTo(offer.get("answerer-tcp-token"));
        assertThat(registry.findStream((String) offer.get("tcp-token")).side()).isSameAs(registry.find("c1").first());
        assertThat(offer).containsEntry("http-port", 8080L);
    }

    @Test
    void answererUdpOrNothingGrantsNoToken() throws NgException {
        StreamGrants grants = new StreamGrants(registry, 4571, 0, 0);
        assertThat(offer(grants, "answerer-media-transport", "udp")).doesNotContainKey("answerer-tcp-token")
                .doesNotContainKey("tcp-port");
        assertThat(offer(grants)).doesNotContainKey("answerer-tcp-token");
    }

    @Test
    void answererTransportTheRelayLacksIsRefusedBeforeAnythingIsAllocated() {
        assertThatThrownBy(() -> offer(new StreamGrants(registry, 4571, 0, 0), "answerer-media-transport", "tls"))
                .isInstanceOf(NgException.class).hasMessage("Media transport tls is not served by this relay");
        assertThatThrownBy(() -> offer(StreamGrants.NONE, "answerer-media-transport", "tcp"))
                .hasMessage("Media transport tcp is not served by this relay");
        assertThat(registry.find("c1")).isNull();
    }

    @Test
    void unknownAnswererTransportNamesItsKey() {
        assertThatThrownBy(() -> offer(new StreamGrants(registry, 4571, 0, 0), "answerer-media-transport", "sctp"))
                .hasMessage("Invalid answerer-media-transport 'sctp' (udp, tcp, tls or http)");
    }
}
