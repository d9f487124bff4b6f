package io.pinhole.proxy.flood;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Flood and fraud limits ({@code pinhole.flood.*}).
 *
 * @param maxRequestsPerSource requests one source address may send within {@code window}; the next
 *                             one bans it (pike's {@code reqs_density_per_unit}). The default leaves an
 *                             office of 200 phones behind one NAT room: registering (challenge and
 *                             answer) and pinging every 30 s is a few requests per second, and even all
 *                             200 registering within the same two seconds is 400
 * @param window               the sliding window of that count (pike's {@code sampling_time_unit}), 100ms–1h
 * @param banTime              how long a banned source stays banned (Kamailio's default {@code ipban}
 *                             htable: 300 s), 1s–7d
 * @param bannedAnswer         what a banned source's requests get: {@code drop} (no answer, as pike) or {@code 503}
 * @param trustedSources       addresses and blocks (CIDR) never limited: other proxies, trunks, the redirect
 *                             server. This host's own addresses are always trusted
 * @param scannerUserAgents    User-Agent texts of known scanners (found anywhere in the header, ignoring
 *                             case); a request with one is blocked and bans its source. Empty = no check
 * @param scannerAnswer        what a scanner's request gets: {@code drop} (no answer) or {@code 403}
 * @param maxTrackedSources    source addresses counted at once; past it the least recently seen is
 *                             forgotten, so a flood from spoofed addresses cannot exhaust memory
 * @param maxBans              bans held at once; while full, no new ban starts (rate offenders still
 *                             lose what they send past the limit)
 * @param maxConcurrentCallsPerAccount calls in progress one local account may have; past it its new
 *                             INVITEs get 403 (toll-fraud guard)
 * @param maxCallsPerMinutePerAccount  new calls one local account may start within any 60 s; past it 403
 */
@Validated
@ConfigurationProperties("pinhole.flood")
public record FloodProperties(
        @DefaultValue("400") @Min(1) @Max(10_000_000) int maxRequestsPerSource,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 100) @DurationMax(hours = 1) Duration window,
        @DefaultValue("5m") @NotNull @DurationMin(seconds = 1) @DurationMax(days = 7) Duration banTime,
        @DefaultValue("drop") @Pattern(regexp = "drop|503", message = "must be drop or 503") String bannedAnswer,
        @DefaultValue List<String> trustedSources,
        @DefaultValue({"friendly-scanner", "sipvicious", "sipcli", "sip-scan", "VaxSIPUserAgent", "iWar", "SIVuS",
                "sundayddr", "pplsip"}) List<String> scannerUserAgents,
        @DefaultValue("drop") @Pattern(regexp = "drop|403", message = "must be drop or 403") String scannerAnswer,
        @DefaultValue("50000") @Min(16) @Max(10_000_000) int maxTrackedSources,
        @DefaultValue("10000") @Min(1) @Max(10_000_000) int maxBans,
        @DefaultValue("10") @Min(1) @Max(100_000) int maxConcurrentCallsPerAccount,
        @DefaultValue("30") @Min(1) @Max(100_000) int maxCallsPerMinutePerAccount) {

    Screening bannedScreening() {
        return bannedAnswer.equals("503") ? Screening.SERVICE_UNAVAILABLE : Screening.DROP;
    }

    Screening scannerScreening() {
        return scannerAnswer.equals("403") ? Screening.FORBIDDEN : Screening.DROP;
    }
}
