package io.pinhole.proxy.probe;

/** How a phone's NAT maps its outgoing flows (RFC 4787 §4.1), as far as the proxy can tell. */
public enum Mapping {
    /** no NAT between the phone and us */
    NONE,
    /** the NAT kept the phone's own port: such NATs reuse the mapping for every destination */
    ENDPOINT_INDEPENDENT,
    /** the NAT changed the port: the mapping may depend on the destination, so a peer cannot count on it */
    UNKNOWN
}
