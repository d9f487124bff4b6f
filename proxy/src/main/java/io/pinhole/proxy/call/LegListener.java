package io.pinhole.proxy.call;

/** Told when the B2BUA gives a call a leg of its own towards a callee, which has a Call-ID of its own. */
@FunctionalInterface
public interface LegListener {

    LegListener NONE = (callId, legCallId) -> {
    };

    /**
     * @param callId    the caller leg's Call-ID (the call's name)
     * @param legCallId the new leg's Call-ID
     */
    void legAdded(String callId, String legCallId);
}
