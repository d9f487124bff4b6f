package io.pinhole.proxy.keepalive;

/** Whether and how a binding is pinged, and why in words (shown by the admin API). */
public record PingPlan(PingMethod method, String reason) {

    public boolean pinged() {
        return method != PingMethod.NONE;
    }
}
