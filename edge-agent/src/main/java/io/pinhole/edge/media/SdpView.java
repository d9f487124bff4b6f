package io.pinhole.edge.media;

import java.util.ArrayList;
import java.util.List;

/**
 * What the agent reads from an SDP body: per m= line its address and RTP/RTCP ports, and the
 * session's {@code a=pinhole-media} attribute if any. Pure parsing, no sockets.
 */
public record SdpView(List<Stream> streams, PinholeMedia pinhole) {

    /** One m= line: {@code port} 0 is a disabled stream. */
    public record Stream(int index, String host, int port, int rtcpPort) {
    }

    /**
     * @throws IllegalArgumentException naming what is wrong (an unparsable m=, c= or attribute)
     */
    public static SdpView parse(String sdp) {
        String sessionHost = null;
        PinholeMedia pinhole = null;
        List<Stream> streams = new ArrayList<>();
        String host = null;
        int port = -1;
        Integer rtcp = null;
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                if (port >= 0) {
                    streams.add(stream(streams.size(), host != null ? host : sessionHost, port, rtcp));
                }
                String[] parts = line.substring(2).split("\\s+");
                if (parts.length < 3) {
                    throw new IllegalArgumentException("malformed m= line: " + line);
                }
                port = number(parts[1].split("/")[0], line);
                host = null;
                rtcp = null;
            } else if (line.startsWith("c=")) {
                String[] parts = line.substring(2).strip().split("\\s+");
                if (parts.length < 3) {
                    throw new IllegalArgumentException("malformed c= line: " + line);
                }
                String addr = parts[2].split("/")[0];
                if (port < 0) {
                    sessionHost = addr;
                } else {
                    host = addr;
                }
            } else if (line.startsWith("a=rtcp:") && port >= 0) {
                rtcp = number(line.substring(7).strip().split("\\s+")[0], line);
            } else if (line.startsWith(PinholeMedia.ATTRIBUTE) && port < 0) {
                pinhole = PinholeMedia.parse(line.substring(PinholeMedia.ATTRIBUTE.length()));
            }
        }
        if (port >= 0) {
            streams.add(stream(streams.size(), host != null ? host : sessionHost, port, rtcp));
        }
        return new SdpView(List.copyOf(streams), pinhole);
    }

    /** The address of the session c= line (or the first stream's): the relay's, for an upstream SDP. */
    public String host() {
        return streams.isEmpty() ? null : streams.get(0).host();
    }

    private static Stream stream(int index, String host, int port, Integer rtcp) {
        return new Stream(index, host, port, rtcp != null ? rtcp : port == 0 ? 0 : port + 1);
    }

    private static int number(String s, String line) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number in: " + line);
        }
    }
}
