package io.pinhole.proxy.sip;

/**
 * Where a request really came from: the packet's source address and port and the transport
 * (RFC 3581 received/rport). Requests to a phone behind NAT go back along this flow.
 */
public record Flow(String address, int port, String transport) {
}
