/**
 * Media over TCP, TLS and HTTP for phones whose firewall lets no UDP through: RFC 4571 framing with
 * a stream id, one connection per call side, bound to that side by a token the proxy got over ng
 * ({@code media-transport}), re-packaged to and from UDP towards the other side. Over HTTP the
 * same frames travel in request and response bodies, and a session ({@link
 * io.pinhole.relay.tcp.HttpSession}), not a connection, is bound to the side. The wire formats are
 * in the README ("Media over TCP and TLS", "Media over HTTP").
 *
 * <p>Threads: a connection lives on one of the media loops; its token check runs on the control
 * thread (which owns the call), its packets are forwarded on the call's loop (which owns the
 * endpoints' counters), one task per read batch (or HTTP request) when those two loops differ. An
 * HTTP session is reached from several loops and guards its queue with its monitor.
 */
package io.pinhole.relay.tcp;
