package io.pinhole.proxy.admin;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * This proxy at a glance, from memory (no database): what the console's overview shows.
 *
 * @param activeCalls        calls in progress now (routing, ringing or answered)
 * @param answeredCalls      of those, the answered ones
 * @param callsPerSecond     new calls per second since the previous look at the overview (at least 1 s before)
 * @param endedCalls         calls ended since the proxy started
 * @param answerSeizureRatio answered / ended since the proxy started; null before the first call ends
 * @param mediaPaths         calls in progress by media path (DIRECT, RELAY_UDP, ...)
 * @param registrations      unexpired registrations (bindings) this proxy serves
 * @param recentErrors       the last warnings and errors of the proxy's log, newest first
 */
public record Overview(Instant at, int activeCalls, int answeredCalls, double callsPerSecond, long endedCalls,
                       @Schema(nullable = true) Double answerSeizureRatio, Map<String, Integer> mediaPaths,
                       List<RelayLoad> relays, int registrations, List<LogLine> recentErrors) {

    /**
     * A relay in this proxy's pool.
     *
     * @param activeCalls this proxy's calls on it now
     */
    public record RelayLoad(String name, @Schema(allowableValues = {"up", "down", "draining"}) String status,
                            int weight, int activeCalls) {
    }

    /** One warning or error of the log. */
    public record LogLine(Instant at, @Schema(allowableValues = {"WARN", "ERROR"}) String level, String logger,
                          String message) {
    }
}
