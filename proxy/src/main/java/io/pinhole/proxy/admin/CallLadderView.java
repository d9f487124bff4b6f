package io.pinhole.proxy.admin;

import io.pinhole.proxy.capture.CallLadder;
import io.pinhole.proxy.capture.CapturedMessage;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * The SIP messages of one recent call, both legs, as the proxy received and sent them (from the
 * in-memory capture: the last {@code pinhole.capture.recent-calls} calls).
 *
 * @param legs    the call's Call-IDs: the caller's leg first, then each leg towards a callee
 * @param dropped messages beyond {@code pinhole.capture.messages-per-call}, not kept
 */
public record CallLadderView(String callId, List<String> legs, int dropped, List<MessageView> messages) {

    /**
     * One message.
     *
     * @param peer   the other end, "address:port": where it came from, or where it went
     * @param callId the Call-ID of its leg
     */
    public record MessageView(Instant at, @Schema(allowableValues = {"in", "out"}) String direction, String peer,
                              String callId,
                              @Schema(description = "the request line or status line") String firstLine,
                              @Schema(description = "the whole message as on the wire") String text) {
    }

    static CallLadderView of(CallLadder ladder) {
        return new CallLadderView(ladder.callId(), ladder.legs(), ladder.dropped(),
                ladder.messages().stream().map(CallLadderView::message).toList());
    }

    private static MessageView message(CapturedMessage m) {
        return new MessageView(m.at(), m.sent() ? "out" : "in", m.peer(), m.callId(), m.firstLine(), m.text());
    }
}
