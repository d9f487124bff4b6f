package io.pinhole.proxy.capture;

import java.util.List;

/**
 * The captured messages of one call, both legs, in the order the proxy saw them.
 *
 * @param callId   the caller leg's Call-ID (the call's name in the admin API and its CDR)
 * @param legs     every Call-ID of the call, the caller's first
 * @param dropped  messages not kept because the call already had its maximum
 */
public record CallLadder(String callId, List<String> legs, List<CapturedMessage> messages, int dropped) {
}
