package io.pinhole.proxy.flood;

import java.time.Instant;

/**
 * A ban as the admin API lists it.
 *
 * @param reason  {@code rate} or {@code scanner}
 * @param detail  what started it (the request count, or the scanner pattern matched)
 * @param blocked requests from the address dropped or refused since
 */
public record BanView(String address, String reason, String detail, Instant since, Instant until, long blocked) {
}
