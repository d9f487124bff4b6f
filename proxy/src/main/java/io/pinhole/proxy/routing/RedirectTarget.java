package io.pinhole.proxy.routing;

/** One Contact of a redirect answer: where to send the call, and how much to prefer it. */
public record RedirectTarget(String uri, float q) {
}
