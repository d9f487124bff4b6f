/**
 * SDP (RFC 4566) as both sides of the wire read it: {@link io.pinhole.wire.sdp.SdpParser} with
 * {@link io.pinhole.wire.sdp.SdpRules} ({@code SIGNALLING} for the proxy, {@code RELAY} for the
 * relay), refusals as {@link io.pinhole.wire.sdp.SdpSyntaxException} with a
 * {@link io.pinhole.wire.sdp.SdpProblem} each side words for its protocol, and
 * {@link io.pinhole.wire.sdp.SdpLines} for code that rewrites a body line by line. Pure and
 * thread-safe; no name is ever resolved.
 */
package io.pinhole.wire.sdp;
