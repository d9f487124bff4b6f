package io.pinhole.proxy.probe;

/** What a phone's NAT or firewall lets in unsolicited (RFC 4787 §5), as the proxy's probe found it. */
public enum Filtering {
    /** no NAT between the phone and us */
    NONE,
    /** a packet from another port of ours got in: endpoint-independent or address-dependent filtering */
    PORT_INDEPENDENT,
    /** only the address and port the phone sent to get in: address-and-port-dependent filtering */
    ADDRESS_AND_PORT_DEPENDENT,
    /** not probed, or the phone answers no OPTIONS at all */
    UNKNOWN
}
