/**
 * STUN (RFC 5389) on plain {@code byte[]} and {@link java.nio.ByteBuffer}: the message codec
 * ({@link io.pinhole.wire.stun.StunCodec}), the RFC 7983 first-byte classifier that tells STUN from
 * RTP/RTCP and SIP on a shared port ({@link io.pinhole.wire.stun.StunDemux}), and the Binding
 * server's decision as a pure function ({@link io.pinhole.wire.stun.BindingResponder}), including
 * the RFC 5780 behaviour-discovery attributes and the RFC 3489 compatibility of RFC 5389 section 12.
 *
 * <p>Everything here is immutable and thread-safe; nothing does I/O, logs, or resolves names.
 * Bad input from the wire is a {@link io.pinhole.wire.stun.StunException} and nothing else.
 */
package io.pinhole.wire.stun;
