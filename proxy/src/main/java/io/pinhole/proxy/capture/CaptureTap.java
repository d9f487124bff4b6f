package io.pinhole.proxy.capture;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.pinhole.sip.hep.MessageTap;
import io.pinhole.sip.hep.SecretRedaction;

import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import java.time.Instant;

/**
 * Feeds {@link CallCapture} from the SIP stack: an INVITE without To tag opens a call; of a message
 * the capture keeps, it keeps the bytes the stack received or sent ({@link SecretRedaction#wire}:
 * not formatted again; the edge token redacted), decoded to text only when the ladder is read.
 */
public final class CaptureTap implements MessageTap {

    private final CallCapture capture;

    public CaptureTap(CallCapture capture) {
        this.capture = capture;
    }

    @Override
    public void message(SIPMessage message, boolean sent, String peer, long timeMillis) {
        CallIdHeader id = message.getCallId();
        if (id == null) {
            return;
        }
        String callId = id.getCallId();
        boolean opensCall = message instanceof SIPRequest request && Request.INVITE.equals(request.getMethod())
                && message.getToTag() == null;
        capture.record(callId, opensCall,
                () -> new CapturedMessage(Instant.ofEpochMilli(timeMillis), sent, peer, callId, SecretRedaction.wire(message, sent)));
    }
}
