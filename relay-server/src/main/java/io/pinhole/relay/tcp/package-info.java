/**
 * Media over TCP and TLS for phones whose firewall lets no UDP through: RFC 4571 framing with a
 * stream id, one connection per call side, bound to that side by a token the proxy got over ng
 * ({@code media-transport}), re-packaged to and from UDP towards the other side. The wire format
 * is in the README ("Media over TCP and TLS").
 *
 * <p>Threads: a connection lives on one of the media loops; its token check runs on the control
 * thread (which owns the call), its packets are forwarded on the call's loop (which owns the
 * endpoints' counters), one task per read batch when those two loops differ.
 */
package io.pinhole.relay.tcp;
