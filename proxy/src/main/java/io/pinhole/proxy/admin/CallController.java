package io.pinhole.proxy.admin;

import io.pinhole.proxy.call.CallRegistry;
import io.pinhole.proxy.call.CallTerminator;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Locale;

/**
 * Calls in progress on this proxy (from memory, no database), and hanging one up. A call is
 * named by its caller leg's Call-ID, URL-encoded in the path.
 */
@RestController
@RequestMapping(path = "/api/calls", produces = MediaType.APPLICATION_JSON_VALUE)
public class CallController {

    private final CallRegistry calls;
    private final CallTerminator terminator;

    public CallController(CallRegistry calls, CallTerminator terminator) {
        this.calls = calls;
        this.terminator = terminator;
    }

    @GetMapping
    List<LiveCallView> list(@Parameter(description = "only calls whose caller or callee contains this (any case)")
                            @RequestParam(required = false) String party) {
        String needle = party == null ? null : party.toLowerCase(Locale.ROOT);
        return calls.live().stream()
                .filter(c -> needle == null || c.caller().toLowerCase(Locale.ROOT).contains(needle)
                        || c.callee().toLowerCase(Locale.ROOT).contains(needle))
                .map(LiveCallView::of).toList();
    }

    @GetMapping("/{callId}")
    LiveCallView get(@PathVariable String callId) {
        return calls.live(callId).stream().findFirst().map(LiveCallView::of)
                .orElseThrow(() -> ApiException.notFound("call " + callId));
    }

    /** BYE to both legs of an answered call; its CDR outcome is {@code admin-hangup}. */
    @DeleteMapping("/{callId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void hangUp(@PathVariable String callId) {
        switch (terminator.hangUp(callId)) {
            case ENDED -> {
            }
            case NOT_ANSWERED -> throw new ApiException(HttpStatus.CONFLICT, "call " + callId
                    + " is not answered yet: only answered calls are hung up (a ringing call ends by CANCEL or timeout)");
            case NOT_FOUND -> throw ApiException.notFound("call " + callId);
        }
    }
}
