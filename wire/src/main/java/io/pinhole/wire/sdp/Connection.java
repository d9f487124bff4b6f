package io.pinhole.wire.sdp;

import java.net.InetAddress;

/**
 * A {@code c=} address.
 *
 * @param text    the address as written, without a {@code /ttl} suffix
 * @param address the literal it stands for
 */
public record Connection(String text, InetAddress address) {
}
