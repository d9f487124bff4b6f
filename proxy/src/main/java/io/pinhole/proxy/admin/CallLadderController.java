package io.pinhole.proxy.admin;

import io.pinhole.proxy.capture.CallCapture;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A recent call's SIP message ladder, from memory (live or ended, while the capture still holds it). */
@RestController
@RequestMapping(path = "/api/calls", produces = MediaType.APPLICATION_JSON_VALUE)
public class CallLadderController {

    private final CallCapture capture;

    public CallLadderController(CallCapture capture) {
        this.capture = capture;
    }

    /** By either leg's Call-ID; 404 when the call is older than the capture's last calls, or capture is off. */
    @GetMapping("/{callId}/messages")
    CallLadderView messages(@PathVariable String callId) {
        return capture.ladder(callId).map(CallLadderView::of)
                .orElseThrow(() -> ApiException.notFound("captured call " + callId));
    }
}
