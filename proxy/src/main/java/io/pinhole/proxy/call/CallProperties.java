package io.pinhole.proxy.call;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Call handling limits ({@code pinhole.calls.*}).
 *
 * @param maxNewPerSecond new INVITEs admitted per second; past it callers get 503 + Retry-After
 * @param maxActive       bridged calls at once; past it new INVITEs get 503
 * @param maxQueuedMessages received UDP messages waiting for a SIP worker; past it new INVITEs get 503
 * @param retryAfter      seconds in the Retry-After of those 503s
 */
@Validated
@ConfigurationProperties("pinhole.calls")
public record CallProperties(
        @DefaultValue("2000") @Min(1) int maxNewPerSecond,
        @DefaultValue("50000") @Min(1) int maxActive,
        @DefaultValue("300") @Min(0) int maxQueuedMessages,
        @DefaultValue("5") @Min(1) int retryAfter) {
}
