package io.pinhole.proxy.capture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The SIP messages of the last {@code recentCalls} calls, at most {@code messagesPerCall} each
 * (the first ones: the INVITE transaction matters most; the rest are counted), in the stack's
 * time order: what the console's call ladder shows. Memory only, lost at restart.
 *
 * <p>A call starts with an INVITE without To tag, received or sent; the B2BUA's leg towards the
 * callee has a Call-ID of its own and is joined to the call by {@link #link}. Messages of any
 * other Call-ID (registrations, keepalives, probes) cost one map look-up and are not encoded:
 * {@link #record} takes the message as a supplier and calls it only for a call it keeps.
 *
 * <p>Threads: the SIP stack's threads record, admin requests read. The index is a concurrent
 * map; adding and evicting a call hold this object's lock, a call's messages its own.
 */
public final class CallCapture {

    private final int recentCalls;
    private final int messagesPerCall;
    private final Map<String, Entry> byCallId = new ConcurrentHashMap<>();
    /** Oldest first; guarded by {@code this}. */
    private final ArrayDeque<Entry> order = new ArrayDeque<>();

    /**
     * @param recentCalls     calls kept (0: capture off, nothing is recorded)
     * @param messagesPerCall messages kept per call, at least 1
     */
    public CallCapture(int recentCalls, int messagesPerCall) {
        if (recentCalls < 0) {
            throw new IllegalArgumentException("recentCalls must be 0 (off) or more, was " + recentCalls);
        }
        if (messagesPerCall < 1) {
            throw new IllegalArgumentException("messagesPerCall must be at least 1, was " + messagesPerCall);
        }
        this.recentCalls = recentCalls;
        this.messagesPerCall = messagesPerCall;
    }

    public boolean enabled() {
        return recentCalls > 0;
    }

    /**
     * Keeps a message of {@code callId} if that call is captured, or if {@code opensCall} (an
     * initial INVITE) starts a new one, evicting the oldest call beyond the bound.
     *
     * @param message built only when kept (it encodes the message)
     */
    public void record(String callId, boolean opensCall, Supplier<CapturedMessage> message) {
        if (recentCalls == 0 || callId == null) {
            return;
        }
        Entry entry = byCallId.get(callId);
        if (entry == null) {
            if (!opensCall) {
                return;
            }
            entry = open(callId);
        }
        if (entry.isFull(messagesPerCall)) {
            return;
        }
        entry.add(message.get(), messagesPerCall);
    }

    /** The B2BUA gave call {@code callId} a leg with Call-ID {@code legCallId}: its messages join the call. */
    public void link(String callId, String legCallId) {
        if (recentCalls == 0 || callId == null || legCallId == null || callId.equals(legCallId)) {
            return;
        }
        synchronized (this) {
            Entry entry = byCallId.get(callId);
            if (entry != null && byCallId.putIfAbsent(legCallId, entry) == null) {
                entry.legs.add(legCallId);
            }
        }
    }

    /** The call with this Call-ID (either leg's), if still captured. */
    public Optional<CallLadder> ladder(String callId) {
        Entry entry = callId == null ? null : byCallId.get(callId);
        return entry == null ? Optional.empty() : Optional.of(entry.snapshot());
    }

    /** Calls captured now. */
    public synchronized int calls() {
        return order.size();
    }

    private synchronized Entry open(String callId) {
        Entry existing = byCallId.get(callId);
        if (existing != null) {
            return existing;
        }
        Entry entry = new Entry(callId);
        byCallId.put(callId, entry);
        order.addLast(entry);
        while (order.size() > recentCalls) {
            Entry oldest = order.removeFirst();
            for (String leg : oldest.legs) {
                byCallId.remove(leg, oldest);
            }
        }
        return entry;
    }

    private static final class Entry {
        final String callId;
        /** Written under the capture's lock ({@link #link}), read by anyone. */
        final List<String> legs = new CopyOnWriteArrayList<>();
        private final List<CapturedMessage> messages = new ArrayList<>();
        private int dropped;

        Entry(String callId) {
            this.callId = callId;
            legs.add(callId);
        }

        synchronized boolean isFull(int max) {
            if (messages.size() < max) {
                return false;
            }
            dropped++;
            return true;
        }

        synchronized void add(CapturedMessage message, int max) {
            if (messages.size() < max) {
                messages.add(message);
            } else {
                dropped++;
            }
        }

        /**
         * In the stack's time order: the stack reports a message it sent only after sending it,
         * so the answer to it may reach the capture first; its time was taken before the send.
         * (Within one millisecond the order is the capture's.)
         */
        synchronized CallLadder snapshot() {
            List<CapturedMessage> ordered = new ArrayList<>(messages);
            ordered.sort(Comparator.comparing(CapturedMessage::at)); // stable: ties keep arrival order
            return new CallLadder(callId, List.copyOf(legs), List.copyOf(ordered), dropped);
        }
    }
}
