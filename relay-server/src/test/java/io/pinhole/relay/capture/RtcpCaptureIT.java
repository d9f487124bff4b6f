package io.pinhole.relay.capture;

import static io.pinhole.relay.support.NgRequests.req;
import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.RelayServer;
import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Sdp;
import io.pinhole.wire.hep.HepTarget;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RTCP summaries as a Homer collector receives them: a phone's sender report relayed through a call
 * arrives at the far phone and, as HEP protocol type 5 filed under the call's Call-ID, at the collector,
 * with the phone's RTCP source and the relay's RTCP port as the two ends.
 */
@Timeout(30)
class RtcpCaptureIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void senderReportGoesToTheFarPhoneAndToTheCollector() throws Exception {
        try (DatagramSocket collector = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             RelayServer relay = new RelayServer(OurRelay.testDefaults(), new RtcpCapture(
                     HepTarget.parse("udp:127.0.0.1:" + collector.getLocalPort(), 2003, "hep-secret"), LOOPBACK));
             NgClient ng = new NgClient(relay.controlAddress());
             RtpPeer a = new RtpPeer(1);
             DatagramSocket aRtcp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket bRtcp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            collector.setSoTimeout(5000);
            bRtcp.setSoTimeout(5000);
            String callId = "rtcp-" + UUID.randomUUID();
            ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", a.port())));
            // B's RTCP goes to the port after its RTP port (RFC 3550 §11): that is the socket listening there
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", bRtcp.getLocalPort() - 1))).get("sdp");
            InetSocketAddress relayRtcp = new InetSocketAddress(LOOPBACK, Sdp.media(answered, 0).getPort() + 1);

            byte[] report = RtcpJsonTest.senderReport(250, 3);
            aRtcp.send(new DatagramPacket(report, report.length, relayRtcp));

            DatagramPacket forwarded = new DatagramPacket(new byte[2048], 2048);
            bRtcp.receive(forwarded);
            assertThat(forwarded.getLength()).as("the report reached the far phone, unchanged").isEqualTo(report.length);

            DatagramPacket hep = new DatagramPacket(new byte[4096], 4096);
            collector.receive(hep);
            Map<Integer, byte[]> chunks = chunks(hep.getData(), hep.getLength());
            assertThat(chunks.get(0x0b)).as("HEP protocol type 5: RTCP as JSON").containsExactly(5);
            assertThat(text(chunks.get(0x11))).as("filed under the call").isEqualTo(callId);
            assertThat(text(chunks.get(0x0e))).isEqualTo("hep-secret");
            assertThat(ByteBuffer.wrap(chunks.get(0x0c)).getInt()).isEqualTo(2003);
            assertThat(ByteBuffer.wrap(chunks.get(0x07)).getShort() & 0xffff).as("from the phone's RTCP source")
                    .isEqualTo(aRtcp.getLocalPort());
            assertThat(ByteBuffer.wrap(chunks.get(0x08)).getShort() & 0xffff).as("to the relay's RTCP port")
                    .isEqualTo(relayRtcp.getPort());
            assertThat(text(chunks.get(0x0f))).contains("\"type\":200", "\"packets\":250", "\"packets_lost\":3",
                    "\"fraction_lost\":25", "\"ia_jitter\":42");
        }
    }

    @Test
    void rtcpWithoutAReportIsRelayedButNotCaptured() throws Exception {
        DatagramSocket collector = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        RtcpCapture capture = new RtcpCapture(HepTarget.parse("udp:127.0.0.1:" + collector.getLocalPort(), 1, null),
                LOOPBACK);
        try (collector;
             RelayServer relay = new RelayServer(OurRelay.testDefaults(), capture); // closes the capture
             NgClient ng = new NgClient(relay.controlAddress());
             DatagramSocket aRtcp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket bRtcp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            bRtcp.setSoTimeout(5000);
            String callId = "bye-" + UUID.randomUUID();
            ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", 20000)));
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", bRtcp.getLocalPort() - 1))).get("sdp");
            byte[] bye = ByteBuffer.allocate(8).put((byte) 0x81).put((byte) 203).putShort((short) 1).putInt(7).array();
            aRtcp.send(new DatagramPacket(bye, bye.length,
                    new InetSocketAddress(LOOPBACK, Sdp.media(answered, 0).getPort() + 1)));

            bRtcp.receive(new DatagramPacket(new byte[2048], 2048));
            eventually(Duration.ofSeconds(2), () -> capture.skipped() == 1, "a BYE alone is no report");
            assertThat(capture.sent()).isZero();
        }
    }


    /** HEP v3 chunks by type (vendor 0), as a collector reads them. */
    private static Map<Integer, byte[]> chunks(byte[] data, int length) {
        ByteBuffer in = ByteBuffer.wrap(data, 0, length);
        assertThat(new String(data, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("HEP3");
        assertThat(in.getShort(4) & 0xffff).isEqualTo(length);
        in.position(6);
        Map<Integer, byte[]> chunks = new HashMap<>();
        while (in.remaining() >= 6) {
            in.getShort();
            int type = in.getShort() & 0xffff;
            byte[] value = new byte[(in.getShort() & 0xffff) - 6];
            in.get(value);
            chunks.put(type, value);
        }
        return chunks;
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
