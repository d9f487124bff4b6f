package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.FlowKey;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The keepalive state of one binding's flow. Threading: {@code binding}, {@code plan} and
 * {@code missed} belong to the pinger's thread; {@code sent} is written there and read by the
 * threads that match answers; {@code answered} and {@code reachable} are written by either, and
 * {@code reachable} only through {@link #flipReachable}, so that the {@link PingBook} can count
 * the unreachable ones without walking them all.
 */
final class PingState {

    private static final VarHandle REACHABLE;

    static {
        try {
            REACHABLE = MethodHandles.lookup().findVarHandle(PingState.class, "reachable", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long id;
    final FlowKey identity;
    final PingPlan plan;
    Binding binding;
    int missed;
    volatile long sent;
    volatile long answered;
    private volatile boolean reachable = true;
    volatile long lastAnswerMillis;

    PingState(long id, FlowKey identity, Binding binding, PingPlan plan) {
        this.id = id;
        this.identity = identity;
        this.binding = binding;
        this.plan = plan;
    }

    boolean reachable() {
        return reachable;
    }

    /** Sets {@code reachable} to {@code to}; true when this call changed it (one of two racing callers wins). */
    boolean flipReachable(boolean to) {
        return REACHABLE.compareAndSet(this, !to, to);
    }
}
