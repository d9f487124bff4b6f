package io.pinhole.relay.call;

/** The call and side a stream token was issued for (see {@link CallRegistry#streamToken}). */
public record StreamGrant(Call call, Side side) {
}
