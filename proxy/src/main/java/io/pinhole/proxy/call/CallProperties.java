package io.pinhole.proxy.call;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Call handling limits ({@code pinhole.calls.*}).
 *
 * @param maxNewPerSecond new INVITEs admitted per second; past it callers get 503 + Retry-After
 * @param maxActive       bridged calls at once; past it new INVITEs get 503
 * @param maxQueueDelay   how long a received UDP message may wait for a SIP worker, and a relay's reply
 *                        for a thread to continue its call; while the oldest waits longer, new INVITEs
 *                        get 503 (keep it under T1, 500 ms, when callers start retransmitting; a
 *                        lower value also sheds calls on short stalls)
 * @param maxRelayDelay   how long the relays' ng answers may wait in queues (their smoothed round
 *                        trip, or the age of commands still unanswered, less the shortest round trip
 *                        seen) while our own commands queue there (16 replies a second or 16 in
 *                        flight); past it new INVITEs get 503: a relay starved of CPU fails calls next.
 *                        400 ms let admitted calls fail in OverloadSippIT (a relay at 3x its load: the
 *                        queue outgrows the ng timeout before the smoothed delay crosses it)
 * @param retryAfter      seconds in the Retry-After of those 503s
 */
@Validated
@ConfigurationProperties("pinhole.calls")
public record CallProperties(
        @DefaultValue("2000") @Min(1) int maxNewPerSecond,
        @DefaultValue("50000") @Min(1) int maxActive,
        @DefaultValue("400ms") Duration maxQueueDelay,
        @DefaultValue("200ms") Duration maxRelayDelay,
        @DefaultValue("5") @Min(1) int retryAfter) {
}
