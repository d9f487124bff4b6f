package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.registrar.Binding;

/**
 * The keepalive state of one binding's flow. Threading: {@code binding}, {@code plan} and
 * {@code missed} belong to the pinger's thread; {@code sent} is written there and read by the SIP
 * threads that match answers; {@code answered} and {@code reachable} are written by either.
 */
final class PingState {

    final long id;
    final String identity;
    final PingPlan plan;
    Binding binding;
    int missed;
    volatile long sent;
    volatile long answered;
    volatile boolean reachable = true;
    volatile long lastAnswerMillis;

    PingState(long id, String identity, Binding binding, PingPlan plan) {
        this.id = id;
        this.identity = identity;
        this.binding = binding;
        this.plan = plan;
    }

    static String identityOf(Binding b) {
        return b.flowIdentity();
    }
}
