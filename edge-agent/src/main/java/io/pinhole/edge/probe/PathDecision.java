package io.pinhole.edge.probe;

import io.pinhole.edge.media.Transport;

/**
 * Chooses the media path from a probe: UDP when the relay's STUN port answered (nothing to wrap);
 * when the relay saw the request but its answer never came back (UDP gets out, not in), UDP up and
 * TLS (or HTTP) down, as seed 004 says: use UDP for whichever direction passes; else TLS to the relay's 443 (looks like any HTTPS session to a firewall), else HTTP to its 80,
 * directly or through the forward proxy. A {@code --transport} other than auto wins over the probe,
 * which is still reported. Pure: no sockets.
 */
public final class PathDecision {

    private PathDecision() {
    }

    /**
     * @param forced     the transport asked for, or null for auto
     * @param relayHost  the relay's host, for the sentence
     * @param ports      the relay's STUN, TLS and HTTP ports, for the sentence
     * @param httpProxy  the forward proxy ("host:port"), or null
     */
    public static PathChoice choose(ProbeResult probe, Transport forced, String relayHost, RelayPorts ports,
                                    String httpProxy) {
        boolean udp = probe.udpAnswered();
        boolean udpOut = udp || probe.udpSeen();
        String udpWords = udp ? "UDP passes both ways (relay " + relayHost + ":" + ports.stun() + " answered STUN)"
                : udpOut ? "UDP gets out but not back in (relay " + relayHost + ":" + ports.stun()
                        + " saw our STUN request; its answer never arrived)"
                : "UDP is blocked both ways (no STUN answer from relay " + relayHost + ":" + ports.stun() + ")";
        boolean viaProxy = httpProxy != null && (!probe.http() || forced == Transport.HTTP) && probe.httpViaProxy();
        if (forced != null) {
            boolean proxy = forced == Transport.HTTP && httpProxy != null;
            return new PathChoice(forced, udpOut, udp, false, proxy, true,
                    udpWords + "; media over " + describe(forced, relayHost, ports, proxy ? httpProxy : null)
                            + " as --transport says" + (works(probe, forced, httpProxy) ? "" : " (the probe found it blocked)"));
        }
        if (udp) {
            return new PathChoice(Transport.UDP, true, true, false, false, true,
                    udpWords + "; media over UDP to relay " + relayHost);
        }
        if (udpOut && (probe.tls() || probe.http() || viaProxy)) {
            Transport down = probe.tls() ? Transport.TLS : Transport.HTTP;
            boolean proxy = down == Transport.HTTP && !probe.http();
            return new PathChoice(down, true, false, true, proxy, true, udpWords + "; media up over UDP to relay "
                    + relayHost + ", down over " + describe(down, relayHost, ports, proxy ? httpProxy : null));
        }
        if (probe.tls()) {
            return new PathChoice(Transport.TLS, false, false, false, false, true,
                    udpWords + "; media over " + describe(Transport.TLS, relayHost, ports, null));
        }
        if (probe.http() || viaProxy) {
            String tls = "TLS to " + relayHost + ":" + ports.tls() + " is blocked too";
            return new PathChoice(Transport.HTTP, false, false, false, viaProxy, true,
                    udpWords + "; " + tls + "; media over "
                            + describe(Transport.HTTP, relayHost, ports, viaProxy ? httpProxy : null));
        }
        return new PathChoice(Transport.TLS, udpOut, false, false, false, false,
                udpWords + "; TLS to " + relayHost + ":" + ports.tls() + " and HTTP to " + relayHost + ":"
                        + ports.http() + (httpProxy != null ? " (directly and through " + httpProxy + ")" : "")
                        + " are blocked too: no media path out; calls will have no audio until a path opens");
    }

    private static boolean works(ProbeResult probe, Transport t, String httpProxy) {
        return switch (t) {
            case UDP -> probe.udpAnswered();
            case TLS, TCP -> probe.tls();
            case HTTP -> httpProxy != null ? probe.httpViaProxy() : probe.http();
        };
    }

    private static String describe(Transport t, String relayHost, RelayPorts ports, String viaProxy) {
        return switch (t) {
            case UDP -> "UDP to relay " + relayHost;
            case TCP -> "TCP to relay " + relayHost + " (port from each call's SDP)";
            case TLS -> "TLS to relay " + relayHost + ":" + ports.tls();
            case HTTP -> "HTTP to relay " + relayHost + ":" + ports.http()
                    + (viaProxy != null ? " through the HTTP proxy " + viaProxy : "");
        };
    }
}
