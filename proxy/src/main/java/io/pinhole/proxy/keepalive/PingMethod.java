package io.pinhole.proxy.keepalive;

/** How a binding's flow is kept open: nothing, a SIP OPTIONS (UDP), or a CRLF ping (RFC 5626 §4.4.1, TCP/TLS). */
public enum PingMethod {
    NONE, OPTIONS, CRLF
}
