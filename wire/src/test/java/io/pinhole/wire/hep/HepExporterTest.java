package io.pinhole.wire.hep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HepExporterTest {

    private static byte[] packet(String callId) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return HepPacket.encode(new HepPacket.Captured(loopback, 5060, loopback, 5062, false, 0, callId,
                ("OPTIONS sip:x SIP/2.0\r\nCall-ID: " + callId + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)), 1, null);
    }

    @Test
    void overTcpPacketsFollowEachOtherOnOneStreamInOrder() throws Exception {
        try (ServerSocket collector = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             HepExporter exporter = new HepExporter(new HepTarget("tcp", "127.0.0.1", collector.getLocalPort(), 1, null), "test capture", "test packets")) {
            byte[][] sent = {packet("one"), packet("two"), packet("three")};
            for (byte[] p : sent) {
                exporter.send(p);
            }
            collector.setSoTimeout(5000);
            try (Socket connection = collector.accept()) {
                connection.setSoTimeout(5000);
                DataInputStream in = new DataInputStream(connection.getInputStream());
                for (byte[] expected : sent) {
                    byte[] header = new byte[6];
                    in.readFully(header);
                    int length = ((header[4] & 0xff) << 8) | (header[5] & 0xff);
                    byte[] whole = Arrays.copyOf(header, length);
                    in.readFully(whole, 6, length - 6);
                    assertThat(whole).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void anAbsentCollectorNeverBlocksTheSenderAndDropsAreCounted() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (HepExporter exporter = new HepExporter(new HepTarget("tcp", "127.0.0.1", closedPort, 1, null), "test capture", "test packets")) {
            byte[] p = packet("x");
            for (int i = 0; i < HepExporter.QUEUE + 500; i++) {
                exporter.send(p); // a send that waited for the network would hang here
            }
            assertThat(exporter.dropped()).isGreaterThanOrEqualTo(500);
            assertThat(exporter.sent()).isZero();
        }
    }
}
