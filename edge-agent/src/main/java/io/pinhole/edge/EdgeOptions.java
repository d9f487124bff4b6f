package io.pinhole.edge;

import io.pinhole.edge.media.PortRange;
import io.pinhole.edge.media.Transport;
import io.pinhole.edge.probe.RelayPorts;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The agent's command line, validated: a bad option fails start-up with the option's name.
 *
 * @param credential null when the agent logs in with {@code tokenFile}
 * @param tokenFile  null when the agent logs in with {@code credential}
 * @param transport  null for auto (probe)
 * @param lanAddress null: the address this host uses towards the proxy
 * @param httpProxy  null: none
 * @param trust      null: the JVM's default trust store
 */
public record EdgeOptions(String upstreamHost, int upstreamPort, boolean upstreamTls, Path credential, Path tokenFile,
                          int sipPort,
                          String lanAddress, Transport transport, InetSocketAddress httpProxy, Path trust,
                          String relayHost, RelayPorts relayPorts, PortRange mediaPorts) {

    public static final String USAGE = """
            Usage: pinhole start edge --upstream HOST[:PORT] (--credential FILE | --token-file FILE) [options]
              --upstream HOST[:PORT]     the Pinhole proxy (port: 5061 for TLS, 5060 for TCP)
              --upstream-transport T     tls|tcp, SIP to the proxy (tls)
              --credential FILE          properties file: user, domain, password (an ordinary Pinhole user)
              --token-file FILE          instead: a token from the admin API (POST /api/edge-agents),
                                         user@domain:secret; sent over TLS only
              --sip-port N               LAN SIP port (UDP) the phones register to (5060)
              --lan-address ADDR         the agent's LAN address, written into Via, Record-Route and SDP
                                         (the address this host uses towards the proxy)
              --transport T              auto|udp|tcp|tls|http, media to the relay (auto: probe)
              --http-proxy HOST:PORT     forward HTTP proxy (HTTP CONNECT for SIP to the proxy, absolute
                                         requests for HTTP media and its probe)
              --trust FILE               PEM certificates the proxy's and relay's TLS must chain to
                                         (default: the JVM's trust store, with host name checks)
              --relay HOST               the relay to probe (the --upstream host)
              --relay-ports S,T,H        its STUN, TLS and HTTP ports to probe (3478,443,80)
              --media-ports MIN-MAX      LAN UDP ports for the phones' media (20000-29999)
            """;

    public static EdgeOptions parse(String... args) {
        String upstream = null;
        String upstreamTransport = "tls";
        Path credential = null;
        Path tokenFile = null;
        int sipPort = 5060;
        String lan = null;
        Transport transport = null;
        InetSocketAddress proxy = null;
        Path trust = null;
        String relay = null;
        RelayPorts relayPorts = RelayPorts.DEFAULT;
        PortRange media = new PortRange(20000, 29999);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--upstream" -> upstream = value;
                case "--upstream-transport" -> {
                    upstreamTransport = value.toLowerCase(Locale.ROOT);
                    if (!upstreamTransport.equals("tls") && !upstreamTransport.equals("tcp")) {
                        throw new IllegalArgumentException("--upstream-transport must be tls or tcp, not " + value);
                    }
                }
                case "--credential" -> credential = Path.of(value);
                case "--token-file" -> tokenFile = Path.of(value);
                case "--sip-port" -> sipPort = port(option, value);
                case "--lan-address" -> lan = value;
                case "--transport" -> transport = transport(value);
                case "--http-proxy" -> proxy = hostPort(option, value, -1);
                case "--trust" -> trust = Path.of(value);
                case "--relay" -> relay = value;
                case "--relay-ports" -> relayPorts = relayPorts(value);
                case "--media-ports" -> media = PortRange.parse(value);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        if (upstream == null) {
            throw new IllegalArgumentException("--upstream HOST[:PORT] is required\n" + USAGE);
        }
        if ((credential == null) == (tokenFile == null)) {
            throw new IllegalArgumentException((credential == null ? "--credential FILE or --token-file FILE is required"
                    : "--credential and --token-file exclude each other: give one") + "\n" + USAGE);
        }
        if (tokenFile != null && !upstreamTransport.equals("tls")) {
            throw new IllegalArgumentException("--token-file needs --upstream-transport tls: the token is a password and"
                    + " goes over TLS only (the proxy refuses it over TCP)");
        }
        if (trust != null && !Files.isReadable(trust)) {
            throw new IllegalArgumentException("--trust " + trust + " cannot be read");
        }
        boolean tls = upstreamTransport.equals("tls");
        InetSocketAddress up = hostPort("--upstream", upstream, tls ? 5061 : 5060);
        return new EdgeOptions(up.getHostString(), up.getPort(), tls, credential, tokenFile, sipPort, lan, transport, proxy, trust,
                relay != null ? relay : up.getHostString(), relayPorts, media);
    }

    private static Transport transport(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return null;
        }
        try {
            return Transport.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--transport must be auto, udp, tcp, tls or http, not " + value);
        }
    }

    private static RelayPorts relayPorts(String value) {
        String[] p = value.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("--relay-ports must be STUN,TLS,HTTP, not " + value);
        }
        return new RelayPorts(port("--relay-ports", p[0]), port("--relay-ports", p[1]), port("--relay-ports", p[2]));
    }

    private static int port(String option, String value) {
        try {
            int p = Integer.parseInt(value.strip());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " must be a port 1-65535, not " + value);
    }

    /** HOST[:PORT] (IPv6 in brackets); {@code defaultPort} -1 makes the port required. */
    static InetSocketAddress hostPort(String option, String value, int defaultPort) {
        String host = value;
        String port = null;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(option + " has an unclosed '[': " + value);
            }
            host = value.substring(1, close);
            if (value.length() > close + 1) {
                port = value.substring(close + 2);
            }
        } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            host = value.substring(0, value.indexOf(':'));
            port = value.substring(value.indexOf(':') + 1);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException(option + " needs a host: " + value);
        }
        if (port == null && defaultPort < 0) {
            throw new IllegalArgumentException(option + " must be HOST:PORT, not " + value);
        }
        return InetSocketAddress.createUnresolved(host, port == null ? defaultPort : port(option, port));
    }
}
