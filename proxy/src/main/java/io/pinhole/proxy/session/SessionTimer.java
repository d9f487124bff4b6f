package io.pinhole.proxy.session;

import java.time.Instant;

/**
 * The session timer in force on an established call: its interval, and when the B2BUA hangs up
 * unless a refresh comes first. Either side's refresh resets it, whoever was meant to send it.
 */
public record SessionTimer(int seconds, Instant byeAt) {
}
