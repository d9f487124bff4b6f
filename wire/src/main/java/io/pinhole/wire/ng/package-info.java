/**
 * rtpengine's ng control protocol, as both the proxy (client) and the relay (server) speak it:
 * the bencode codec ({@link io.pinhole.wire.ng.BencodeReader}, {@link io.pinhole.wire.ng.BencodeWriter},
 * errors as {@link io.pinhole.wire.ng.BencodeException}) and the UDP client with cookies,
 * retransmission and a deadline ({@link io.pinhole.wire.ng.NgClient}, failures as
 * {@link io.pinhole.wire.ng.NgException}).
 *
 * <p>The codec is pure and thread-safe and works on {@code byte[]}, so the relay's Netty handler
 * decodes straight from a datagram's bytes. Strings are ISO-8859-1 by default (every byte one
 * char, so an SDP body passes through byte-exact) or in a charset the caller names.
 */
package io.pinhole.wire.ng;
