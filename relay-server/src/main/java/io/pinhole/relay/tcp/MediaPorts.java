package io.pinhole.relay.tcp;

import io.pinhole.relay.config.RelayProperties;

/**
 * The relay's TCP, TLS and HTTP media ports as configuration chose them, defaults applied.
 *
 * <p>The defaults are what gets through the strictest firewalls (issue 17): HTTP media on 80, TLS
 * on 443, each where it may bind. TLS only with a configured certificate: a self-signed one made
 * at start would fail every client that checks it (the edge agent does), so by default there is no
 * TLS rather than TLS nobody trusts; setting {@code tls-port} still gets the self-signed one, for
 * tests and clients told to trust it. Plain TCP (RFC 4571) stays off unless set: firewalls that
 * block UDP pass 80 and 443, not some other TCP port, so it is for tests and LANs.
 *
 * @param tcp     plain RFC 4571 framing
 * @param tls     the same inside TLS, and HTTPS
 * @param http    media over HTTP
 * @param tlsNote why TLS is off by default and how to turn it on; empty when it is not
 */
public record MediaPorts(MediaPort tcp, MediaPort tls, MediaPort http, String tlsNote) {

    public static final int DEFAULT_TLS_PORT = 443;
    public static final int DEFAULT_HTTP_PORT = 80;

    private static final String TCP = "pinhole.relay.tcp-port";
    private static final String TLS = "pinhole.relay.tls-port";
    private static final String HTTP = "pinhole.relay.http-media-port";

    public static MediaPorts of(RelayProperties p) {
        return of(p.tcpPort(), p.tlsPort(), !p.tlsCertificate().isEmpty(), p.httpMediaPort());
    }

    /**
     * @param tlsPort        {@link RelayProperties#UNSET_PORT} = the default
     * @param hasCertificate a certificate and its key are configured
     * @param httpPort       {@link RelayProperties#UNSET_PORT} = the default
     */
    public static MediaPorts of(int tcpPort, int tlsPort, boolean hasCertificate, int httpPort) {
        MediaPort http = httpPort == RelayProperties.UNSET_PORT ? MediaPort.byDefault(HTTP, DEFAULT_HTTP_PORT)
                : MediaPort.set(HTTP, httpPort);
        MediaPort tls;
        String note = "";
        if (tlsPort != RelayProperties.UNSET_PORT) {
            tls = MediaPort.set(TLS, tlsPort);
        } else if (hasCertificate) {
            tls = MediaPort.byDefault(TLS, DEFAULT_TLS_PORT);
        } else {
            tls = MediaPort.byDefault(TLS, 0);
            note = "relay: media over TLS and HTTPS off: no certificate configured. Set"
                    + " pinhole.relay.tls-certificate and tls-private-key (PEM) to serve it on " + DEFAULT_TLS_PORT
                    + " (or set " + TLS + " for a self-signed one)";
        }
        return new MediaPorts(MediaPort.set(TCP, tcpPort), tls, http, note);
    }
}
