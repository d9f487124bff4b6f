package io.pinhole.relay.config;

import io.pinhole.relay.media.MediaIo;
import io.pinhole.wire.net.IpLiteral;
import java.net.InetAddress;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the relay reads from configuration ({@code pinhole.relay.*}; environment variables
 * such as {@code PINHOLE_RELAY_CONTROL_PORT} bind through Spring's relaxed binding).
 *
 * <p>Every value is checked here, in the constructor, so a relay built without Spring (tests,
 * benchmarks) is held to the same rules as one bound from configuration; a bad value fails with an
 * {@link IllegalArgumentException} naming the property as it is written in configuration
 * ({@code pinhole.relay.port-min}). {@link #toString()} never shows the secret.
 *
 * @param controlAddress     address of the ng control socket; private by default because ng has
 *                           no authentication of its own
 * @param controlPort        UDP port of the ng control socket (0 = any, for tests)
 * @param secret             optional shared secret: when set, every ng request must carry it in
 *                           its {@code secret} key; printable ASCII only (the relay compares it as
 *                           ISO-8859-1 bytes, the proxy sends UTF-8)
 * @param mediaAddress       address the media sockets bind to
 * @param advertisedAddress  address written into rewritten SDP; empty = {@code mediaAddress}
 *                           (set it when the relay is behind a 1:1 NAT)
 * @param portMin            first port of the media range; even, as RTP takes the even port of
 *                           each pair and RTCP the odd one after it
 * @param portMax            last port of the media range (inclusive; when even, that port stays
 *                           unused as its RTCP partner would lie outside the range)
 * @param portQuietPeriod    a released port is not handed out again before this has passed, so
 *                           late packets of an old call never reach a new one
 * @param timeout            a call with no media for this long is torn down
 * @param holdTimeout        the same while a stream of the call is on hold (c=0.0.0.0, inactive,
 *                           sendonly, recvonly)
 * @param strictSource       after latching, drop packets from any other source (RTP bleed)
 * @param relatchOnNewSsrc   accept a new source address when it also brings a new SSRC
 *                           (phones that roam between networks)
 * @param mediaThreads       event-loop threads forwarding media (0 = number of cores)
 * @param maxDatagramSize    largest datagram the batched receive path accepts
 * @param readBatch          datagrams read per recvmmsg call
 * @param replyCacheTtl      how long a reply is kept for a retransmitted cookie
 * @param warmUpCalls        calls run through the ng commands (real sockets, own counters) before
 *                           the control socket opens, so the first real ones meet compiled code;
 *                           0 = none
 * @param mediaWarmUp        how long at most RTP is forwarded through scratch streams between two
 *                           local sockets (counted nowhere) before the control socket opens, so a
 *                           fresh relay does not compile its media path while it carries calls;
 *                           it stops earlier once 50,000 packets came through and the JIT has been
 *                           quiet for 0.5 s, or at 200,000 packets; 0 = none. Default 5 s:
 *                           on the idle 2-core box its lat500 p99 was 2.2-2.9 ms against 3.7-16.6 ms
 *                           without, in each of 3 interleaved rounds (rtpengine 0.9-1.8 ms, bench/relay)
 * @param stunPort           UDP port of the STUN server on the media address (RFC 5389 Binding,
 *                           so phones can learn their mapping toward the relay); 0 = no STUN
 *                           server. Media ports answer STUN either way
 * @param stunAlternatePort  the STUN server's second port, for RFC 5780 behaviour discovery
 *                           (CHANGE-REQUEST change-port); 0 = none
 * @param stunAlternateAddress the STUN server's second IP address (RFC 5780 change-IP and
 *                           OTHER-ADDRESS); empty = none. It must be an address of this host,
 *                           as the server binds both ports on it too
 * @param keepaliveInterval  a latched side that has been sent nothing on a port for this long gets
 *                           a keepalive there from the relay (RFC 6263), so its NAT keeps the
 *                           mapping open through hold and silence; 0 = none. At least 100 ms,
 *                           at most 1 h; keep it under the shortest UDP timeout of the phones'
 *                           NATs (Linux: 30 s)
 * @param tcpPort            TCP port on the media address for media over TCP (RFC 4571 framing,
 *                           see the README); 0 = off
 * @param tlsPort            the same inside TLS, and HTTPS media; 0 = off; {@value #UNSET_PORT}
 *                           (the default) = 443 where it may bind, and only with a certificate
 *                           (see {@code MediaPorts})
 * @param tlsCertificate     PEM certificate chain of the TLS port; empty = off by default, or a
 *                           self-signed one made at start (logged) when {@code tls-port} is set
 * @param tlsPrivateKey      PEM PKCS#8 private key of that certificate; set both or neither
 * @param tcpHelloTimeout    a TCP/TLS connection that has not presented a valid call token within
 *                           this long (TLS handshake included) is closed
 * @param tcpIdleTimeout     a bound connection that receives nothing for this long (no media, no
 *                           keepalive frame) is closed
 * @param tcpMaxConnections  TCP and TLS connections open at once, over all calls
 * @param tcpConnectionsPerCall connections bound to one call at once (both sides together); for
 *                           HTTP, also the connections one HTTP session is served over at once
 * @param httpMediaPort      TCP port on the media address for media over HTTP (see the README);
 *                           0 = off; {@value #UNSET_PORT} (the default) = 80 where it may bind. Not {@code http-port}: its environment form,
 *                           {@code PINHOLE_RELAY_HTTP_PORT}, already sets the actuator's port
 * @param httpHold           how long an empty GET (long poll) is held when no media waits for its
 *                           client before it is answered with an empty body
 * @param httpQueue          packets waiting for one HTTP client between its requests; past that
 *                           the oldest is dropped
 * @param conferenceMaxParties ceiling of parties in one conference room (a {@code join}'s
 *                           {@code max-parties} may only lower it)
 * @param conferenceMaxRooms conference rooms at once on this relay
 * @param conferenceJitterFrames 20 ms frames buffered per conference party before it is mixed
 *                           (its added delay); a frame later than that is dropped and counted
 * @param mediaIo            what the media sockets (and the TCP/TLS/HTTP media ports on their
 *                           loops) run on: {@code epoll}, {@code io_uring}, or {@code auto} (io_uring
 *                           when it loads, else epoll); a transport that does not load falls back
 *                           with one WARN line
 */
@ConfigurationProperties(prefix = "pinhole.relay")
public record RelayProperties(
        @DefaultValue("127.0.0.1") String controlAddress,
        @DefaultValue("2223") int controlPort,
        @DefaultValue("") String secret,
        @DefaultValue("127.0.0.1") String mediaAddress,
        @DefaultValue("") String advertisedAddress,
        @DefaultValue("30000") int portMin,
        @DefaultValue("40000") int portMax,
        @DefaultValue("5s") Duration portQuietPeriod,
        @DefaultValue("60s") Duration timeout,
        @DefaultValue("3600s") Duration holdTimeout,
        @DefaultValue("true") boolean strictSource,
        @DefaultValue("false") boolean relatchOnNewSsrc,
        @DefaultValue("0") int mediaThreads,
        @DefaultValue("2048") int maxDatagramSize,
        @DefaultValue("16") int readBatch,
        @DefaultValue("30s") Duration replyCacheTtl,
        @DefaultValue("2000") int warmUpCalls,
        @DefaultValue("5s") Duration mediaWarmUp,
        @DefaultValue("3478") int stunPort,
        @DefaultValue("3479") int stunAlternatePort,
        @DefaultValue("") String stunAlternateAddress,
        @DefaultValue("15s") Duration keepaliveInterval,
        @DefaultValue("0") int tcpPort,
        @DefaultValue("-1") int tlsPort,
        @DefaultValue("") String tlsCertificate,
        @DefaultValue("") String tlsPrivateKey,
        @DefaultValue("2s") Duration tcpHelloTimeout,
        @DefaultValue("30s") Duration tcpIdleTimeout,
        @DefaultValue("1000") int tcpMaxConnections,
        @DefaultValue("4") int tcpConnectionsPerCall,
        @DefaultValue("-1") int httpMediaPort,
        @DefaultValue("100ms") Duration httpHold,
        @DefaultValue("64") int httpQueue,
        @DefaultValue("32") int conferenceMaxParties,
        @DefaultValue("100") int conferenceMaxRooms,
        @DefaultValue("3") int conferenceJitterFrames,
        @DefaultValue("epoll") MediaIo mediaIo) {

    private static final String PREFIX = "pinhole.relay.";
    /**
     * {@code tls-port} and {@code http-media-port} not set: the relay tries their default ports and
     * goes on without them if it may not bind there, where a port that was set must bind.
     */
    public static final int UNSET_PORT = -1;
    private static final Duration MIN_KEEPALIVE = Duration.ofMillis(100);
    private static final Duration MAX_KEEPALIVE = Duration.ofHours(1);
    private static final Duration MAX_MEDIA_WARM_UP = Duration.ofSeconds(60);

    public RelayProperties {
        secret = secret == null ? "" : secret;
        advertisedAddress = advertisedAddress == null ? "" : advertisedAddress;
        stunAlternateAddress = stunAlternateAddress == null ? "" : stunAlternateAddress;
        mediaIo = mediaIo == null ? MediaIo.EPOLL : mediaIo;

        // The sockets bind to literals: a name would need a DNS lookup (see IpLiteral).
        ipLiteral("control-address", controlAddress);
        inRange("control-port", controlPort, 0, 65535);
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                // never the value itself: it ends up in logs
                throw new IllegalArgumentException(PREFIX + "secret must be printable ASCII: the relay compares it"
                        + " as ISO-8859-1 bytes while the proxy sends UTF-8, so any other character never matches");
            }
        }
        InetAddress media = ipLiteral("media-address", mediaAddress);
        if (advertisedAddress.isEmpty()) {
            if (media.isAnyLocalAddress()) {
                throw new IllegalArgumentException(PREFIX + "advertised-address must be set when media-address is"
                        + " the wildcard " + mediaAddress + ": the address goes into SDP, and "
                        + mediaAddress + " there means no media (hold)");
            }
        } else if (ipLiteral("advertised-address", advertisedAddress).isAnyLocalAddress()) {
            throw new IllegalArgumentException(PREFIX + "advertised-address must be an address phones can send to,"
                    + " was the wildcard " + advertisedAddress);
        }

        // PortPool: RTP on the even port of each pair, RTCP on the odd one above it.
        inRange("port-min", portMin, 1, 65534);
        if (portMin % 2 != 0) {
            throw new IllegalArgumentException(PREFIX + "port-min must be even (RTP takes the even port of a pair,"
                    + " RTCP the odd one after it), was " + portMin);
        }
        inRange("port-max", portMax, 1, 65535);
        if (portMax <= portMin) {
            throw new IllegalArgumentException(PREFIX + "port-max must be greater than port-min (" + portMin
                    + ") so the range holds at least one RTP/RTCP pair, was " + portMax);
        }

        nanos("port-quiet-period", portQuietPeriod, true);
        nanos("timeout", timeout, false);
        nanos("hold-timeout", holdTimeout, false);
        nanos("reply-cache-ttl", replyCacheTtl, false);

        inRange("media-threads", mediaThreads, 0, 64);
        inRange("max-datagram-size", maxDatagramSize, 576, 65507);
        inRange("read-batch", readBatch, 1, 256);
        inRange("warm-up-calls", warmUpCalls, 0, 100_000);
        nanos("media-warm-up", mediaWarmUp, true);
        if (mediaWarmUp.compareTo(MAX_MEDIA_WARM_UP) > 0) {
            throw new IllegalArgumentException(PREFIX + "media-warm-up must be at most " + MAX_MEDIA_WARM_UP
                    + " (it delays start-up by as much), was " + mediaWarmUp);
        }

        stun(stunPort, stunAlternatePort, stunAlternateAddress, media, mediaAddress, controlPort, portMin, portMax);
        keepalive(keepaliveInterval);

        tlsCertificate = tlsCertificate == null ? "" : tlsCertificate;
        tlsPrivateKey = tlsPrivateKey == null ? "" : tlsPrivateKey;
        streams(tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, controlPort, stunPort, stunAlternatePort);
        nanos("tcp-hello-timeout", tcpHelloTimeout, false);
        nanos("tcp-idle-timeout", tcpIdleTimeout, false);
        inRange("tcp-max-connections", tcpMaxConnections, 1, 1_000_000);
        inRange("tcp-connections-per-call", tcpConnectionsPerCall, 1, 64);
        inRange("http-media-port", httpMediaPort, UNSET_PORT, 65535);
        if (httpMediaPort > 0 && (httpMediaPort == tcpPort || httpMediaPort == tlsPort)) {
            throw new IllegalArgumentException(PREFIX + "http-media-port must differ from tcp-port and tls-port ("
                    + httpMediaPort + ")");
        }
        nanos("http-hold", httpHold, false);
        if (httpHold.compareTo(Duration.ofMillis(10)) < 0 || httpHold.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException(PREFIX + "http-hold must be between 10ms and 30s, was " + httpHold);
        }
        inRange("http-queue", httpQueue, 1, 4096);
        inRange("conference-max-parties", conferenceMaxParties, 2, 1000);
        inRange("conference-max-rooms", conferenceMaxRooms, 1, 100_000);
        inRange("conference-jitter-frames", conferenceJitterFrames, 1, 50);
    }

    /**
     * The TCP and TLS media ports: distinct from each other and from the UDP sockets' fixed ports
     * (TCP and UDP port numbers do not collide, but one number for two services confuses firewall
     * rules and readers alike); a certificate and its key come together.
     */
    private static void streams(int tcpPort, int tlsPort, String certificate, String key, int controlPort,
                                int stunPort, int stunAlternatePort) {
        inRange("tcp-port", tcpPort, 0, 65535);
        inRange("tls-port", tlsPort, UNSET_PORT, 65535);
        if (tcpPort != 0 && tcpPort == tlsPort) {
            throw new IllegalArgumentException(PREFIX + "tls-port must differ from tcp-port (" + tcpPort + ")");
        }
        if (certificate.isEmpty() != key.isEmpty()) {
            throw new IllegalArgumentException(PREFIX + "tls-certificate and tls-private-key must be set together"
                    + " (or neither: a self-signed certificate when tls-port is set, else no TLS media)");
        }
    }

    /**
     * 0 turns keepalives off; otherwise at least 100 ms (the relay's keepalive timer ticks 16 times
     * per interval on every media thread) and at most an hour (NATs forget UDP mappings within
     * minutes: a longer interval keeps nothing open).
     */
    private static void keepalive(Duration interval) {
        nanos("keepalive-interval", interval, true);
        if (!interval.isZero() && (interval.compareTo(MIN_KEEPALIVE) < 0 || interval.compareTo(MAX_KEEPALIVE) > 0)) {
            throw new IllegalArgumentException(PREFIX + "keepalive-interval must be 0 (no keepalives) or between "
                    + "100ms and 1h, was " + interval);
        }
    }

    /**
     * The STUN server's sockets: ports that no media socket or the control socket can take, and
     * for RFC 5780 change-IP a second address of the same family, next to a media address that is
     * one address (OTHER-ADDRESS and RESPONSE-ORIGIN name real addresses, never a wildcard).
     */
    private static void stun(int port, int alternatePort, String alternateAddress, InetAddress media,
                             String mediaAddress, int controlPort, int portMin, int portMax) {
        inRange("stun-port", port, 0, 65535);
        inRange("stun-alternate-port", alternatePort, 0, 65535);
        if (port == 0) {
            if (!alternateAddress.isEmpty()) {
                throw new IllegalArgumentException(PREFIX + "stun-alternate-address is set but stun-port is 0,"
                        + " which turns the STUN server off");
            }
            return; // off: the alternate port is not used and needs no checks
        }
        stunPortFree("stun-port", port, controlPort, portMin, portMax);
        if (alternatePort != 0) {
            stunPortFree("stun-alternate-port", alternatePort, controlPort, portMin, portMax);
            if (alternatePort == port) {
                throw new IllegalArgumentException(PREFIX + "stun-alternate-port must differ from stun-port ("
                        + port + "), or be 0 for none");
            }
        }
        if (alternateAddress.isEmpty()) {
            return;
        }
        InetAddress alternate = ipLiteral("stun-alternate-address", alternateAddress);
        if (alternate.isAnyLocalAddress()) {
            throw new IllegalArgumentException(PREFIX + "stun-alternate-address must be one address of this host,"
                    + " was the wildcard " + alternateAddress);
        }
        if (media.isAnyLocalAddress()) {
            throw new IllegalArgumentException(PREFIX + "stun-alternate-address needs media-address to be one"
                    + " address, not the wildcard " + mediaAddress + ": OTHER-ADDRESS tells clients both addresses");
        }
        if (alternate.equals(media)) {
            throw new IllegalArgumentException(PREFIX + "stun-alternate-address must differ from media-address ("
                    + mediaAddress + ")");
        }
        if (alternate.getAddress().length != media.getAddress().length) {
            throw new IllegalArgumentException(PREFIX + "stun-alternate-address must be of media-address's family"
                    + " (" + mediaAddress + "), was " + alternateAddress);
        }
        if (alternatePort == 0) {
            throw new IllegalArgumentException(PREFIX + "stun-alternate-address needs stun-alternate-port:"
                    + " RFC 5780 answers from both ports on both addresses");
        }
    }

    private static void stunPortFree(String property, int port, int controlPort, int portMin, int portMax) {
        if (port >= portMin && port <= portMax) {
            throw new IllegalArgumentException(PREFIX + property + " must lie outside the media ports " + portMin
                    + "-" + portMax + ", was " + port);
        }
        if (port == controlPort) {
            throw new IllegalArgumentException(PREFIX + property + " must differ from control-port, was " + port);
        }
    }

    private static InetAddress ipLiteral(String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(PREFIX + property + " must not be blank");
        }
        InetAddress address = IpLiteral.parse(value);
        if (address == null) {
            throw new IllegalArgumentException(PREFIX + property + " must be an IPv4 or IPv6 address literal"
                    + " (names are not resolved), was '" + value + "'");
        }
        return address;
    }

    private static void inRange(String property, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(PREFIX + property + " must be between " + min + " and " + max
                    + ", was " + value);
        }
    }

    /** The relay works in nanoseconds ({@link Duration#toNanos()}): the value must fit. */
    private static void nanos(String property, Duration value, boolean zeroAllowed) {
        if (value == null) {
            throw new IllegalArgumentException(PREFIX + property + " must be set");
        }
        if (value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new IllegalArgumentException(PREFIX + property + " must be " + (zeroAllowed ? "zero or " : "")
                    + "positive, was " + value);
        }
        try {
            value.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(PREFIX + property + " is too long (at most about 292 years), was "
                    + value);
        }
    }

    /** Every setting but the secret, which shows only whether it is set. */
    @Override
    public String toString() {
        return "RelayProperties[controlAddress=" + controlAddress + ", controlPort=" + controlPort
                + ", secret=" + (secret.isEmpty() ? "unset" : "****")
                + ", mediaAddress=" + mediaAddress + ", advertisedAddress=" + advertisedAddress
                + ", portMin=" + portMin + ", portMax=" + portMax + ", portQuietPeriod=" + portQuietPeriod
                + ", timeout=" + timeout + ", holdTimeout=" + holdTimeout + ", strictSource=" + strictSource
                + ", relatchOnNewSsrc=" + relatchOnNewSsrc + ", mediaThreads=" + mediaThreads
                + ", maxDatagramSize=" + maxDatagramSize + ", readBatch=" + readBatch
                + ", replyCacheTtl=" + replyCacheTtl + ", warmUpCalls=" + warmUpCalls + ", mediaWarmUp=" + mediaWarmUp
                + ", stunPort=" + stunPort + ", stunAlternatePort=" + stunAlternatePort
                + ", stunAlternateAddress=" + stunAlternateAddress + ", keepaliveInterval=" + keepaliveInterval
                + ", tcpPort=" + tcpPort + ", tlsPort=" + tlsPort + ", tlsCertificate=" + tlsCertificate
                + ", tlsPrivateKey=" + tlsPrivateKey + ", tcpHelloTimeout=" + tcpHelloTimeout
                + ", tcpIdleTimeout=" + tcpIdleTimeout + ", tcpMaxConnections=" + tcpMaxConnections
                + ", tcpConnectionsPerCall=" + tcpConnectionsPerCall + ", httpMediaPort=" + httpMediaPort
                + ", httpHold=" + httpHold + ", httpQueue=" + httpQueue
                + ", conferenceMaxParties=" + conferenceMaxParties
                + ", conferenceMaxRooms=" + conferenceMaxRooms + ", conferenceJitterFrames=" + conferenceJitterFrames
                + ", mediaIo=" + mediaIo + "]";
    }

    /** The address put into SDP. */
    public String sdpAddress() {
        return advertisedAddress.isEmpty() ? mediaAddress : advertisedAddress;
    }

    /**
     * Defaults with a few overrides, for code that runs the relay without Spring (tests, bench);
     * media-io from the system property {@code pinhole.relay.media-io} when set (so a whole test run
     * can be switched to io_uring), else epoll.
     */
    public static RelayProperties defaults() {
        return new RelayProperties("127.0.0.1", 2223, "", "127.0.0.1", "", 30000, 40000,
                Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(3600), true, false, 0,
                2048, 16, Duration.ofSeconds(30), 2000, Duration.ofSeconds(5), 3478, 3479, "", Duration.ofSeconds(15),
                0, UNSET_PORT, "", "", Duration.ofSeconds(2), Duration.ofSeconds(30), 1000, 4, UNSET_PORT, Duration.ofMillis(100), 64, 32, 100, 3,
                MediaIo.fromSystemProperty());
    }

    public RelayProperties withControl(String address, int port) {
        return new RelayProperties(address, port, secret, mediaAddress, advertisedAddress, portMin, portMax,
                portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval,
                tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    public RelayProperties withPorts(int min, int max, Duration quiet) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, min, max,
                quiet, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval,
                tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    public RelayProperties withTimeouts(Duration media, Duration hold) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, media, hold, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval,
                tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    public RelayProperties withSecret(String newSecret) {
        return new RelayProperties(controlAddress, controlPort, newSecret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval,
                tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    public RelayProperties withMedia(String bind, String advertised) {
        return new RelayProperties(controlAddress, controlPort, secret, bind, advertised, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval,
                tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    public RelayProperties withLatching(boolean strict, boolean relatch) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strict, relatch, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval,
                tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    public RelayProperties withMediaThreads(int threads) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, threads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval,
                tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    /** The STUN server: its port (0 = off), its second port (0 = none), its second address ("" = none). */
    public RelayProperties withStun(int port, int alternatePort, String alternateAddress) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, port, alternatePort, alternateAddress,
                keepaliveInterval, tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    public RelayProperties withWarmUp(int calls) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, calls, mediaWarmUp, stunPort, stunAlternatePort, stunAlternateAddress,
                keepaliveInterval, tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    /** The media warm-up's time limit ({@link Duration#ZERO} = none). */
    public RelayProperties withMediaWarmUp(Duration limit) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, limit, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval, tcpPort, tlsPort, tlsCertificate, tlsPrivateKey,
                tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    /** Keepalives towards quiet latched sides every {@code interval} ({@link Duration#ZERO} = none). */
    public RelayProperties withKeepalive(Duration interval) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, interval,
                tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    /** TCP and TLS media ports (0 = off; {@link #UNSET_PORT} = the default, for TLS only). */
    public RelayProperties withStreams(int tcp, int tls) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval, tcp, tls, tlsCertificate, tlsPrivateKey, tcpHelloTimeout,
                tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    /** The TLS port's certificate and key (PEM files; both empty = self-signed). */
    public RelayProperties withTlsCertificate(String certificate, String privateKey) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval, tcpPort, tlsPort, certificate, privateKey, tcpHelloTimeout,
                tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall,
                httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    /** Conference limits: parties per room, rooms, jitter frames per party. */
    public RelayProperties withConferences(int maxParties, int maxRooms, int jitterFrames) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval, tcpPort, tlsPort, tlsCertificate, tlsPrivateKey,
                tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall, httpMediaPort, httpHold, httpQueue,
                maxParties, maxRooms,
                jitterFrames, mediaIo);
    }

    /** Limits of the TCP and TLS connections. */
    public RelayProperties withStreamLimits(Duration hello, Duration idle, int max, int perCall) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval, tcpPort, tlsPort, tlsCertificate, tlsPrivateKey, hello, idle,
                max, perCall, httpMediaPort, httpHold, httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    /** Media over HTTP: its port (0 = off, {@link #UNSET_PORT} = the default), how long a poll is held, packets queued per client. */
    public RelayProperties withHttp(int port, Duration hold, int queue) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval, tcpPort, tlsPort, tlsCertificate, tlsPrivateKey,
                tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall, port, hold, queue,
                conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, mediaIo);
    }

    /** What the media sockets run on (see {@link MediaIo}). */
    public RelayProperties withMediaIo(MediaIo io) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls, mediaWarmUp, stunPort, stunAlternatePort,
                stunAlternateAddress, keepaliveInterval, tcpPort, tlsPort, tlsCertificate, tlsPrivateKey,
                tcpHelloTimeout, tcpIdleTimeout, tcpMaxConnections, tcpConnectionsPerCall, httpMediaPort, httpHold,
                httpQueue, conferenceMaxParties, conferenceMaxRooms, conferenceJitterFrames, io);
    }
}
