package io.pinhole.proxy.sip;

import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;

/** What the dispatcher hands to the call layer: in-dialog requests, ACKs, responses, timeouts. */
public interface DialogEvents {

    /** A request with a To tag (inside a dialog, or claiming to be); {@code dialog} may be null. */
    void request(IncomingRequest in, Dialog dialog);

    void ack(RequestEvent event);

    void response(ResponseEvent event);

    void timeout(TimeoutEvent event);

    /** The stack gave up on a dialog (no ACK for a 2xx, transaction timeouts) or it ended normally. */
    void dialogTerminated(Dialog dialog);
}
