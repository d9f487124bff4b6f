package io.pinhole.edge.probe;

/** The relay's well-known ports the agent probes: STUN (UDP), TLS and HTTP. */
public record RelayPorts(int stun, int tls, int http) {

    public static final RelayPorts DEFAULT = new RelayPorts(3478, 443, 80);
}
