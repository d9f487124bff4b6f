/**
 * Network addresses as text: {@link io.pinhole.wire.net.IpLiteral} turns IPv4 and IPv6 literals
 * into {@link java.net.InetAddress} without ever resolving a name. Pure and thread-safe.
 */
package io.pinhole.wire.net;
