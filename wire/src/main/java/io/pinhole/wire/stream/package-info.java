/**
 * The frame format of media connections to the relay (TCP and TLS): RFC 4571 framing with a
 * stream id, the hello with a call token and the control frames ({@link io.pinhole.wire.stream.MediaFrames}).
 * Shared by the relay and by clients of it. Pure functions on {@code byte[]}; nothing does I/O.
 */
package io.pinhole.wire.stream;
