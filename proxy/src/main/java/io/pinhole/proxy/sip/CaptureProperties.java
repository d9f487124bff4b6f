package io.pinhole.proxy.sip;

import io.pinhole.wire.hep.HepTarget;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.Optional;

/**
 * SIP capture ({@code pinhole.capture.*}): every SIP message the proxy receives or sends, as
 * HEP v3 to a Homer-style collector, and the messages of recent calls kept in memory for the
 * console's call ladder.
 *
 * @param hepCollector    "udp:host:port" or "tcp:host:port" ("host:port" = UDP); empty = no export
 * @param hepCaptureId    this node's capture agent id, as the collector shows it
 * @param hepPassword     the collector's auth key, if it wants one (never logged)
 * @param recentCalls     calls whose messages are kept in memory (0 = none)
 * @param messagesPerCall messages kept per call (the first ones; the rest are counted)
 */
@Validated
@ConfigurationProperties("pinhole.capture")
public record CaptureProperties(
        @DefaultValue("") String hepCollector,
        @DefaultValue("2001") @Min(0) int hepCaptureId,
        @DefaultValue("") String hepPassword,
        @DefaultValue("200") @Min(0) @Max(100_000) int recentCalls,
        @DefaultValue("100") @Min(1) @Max(10_000) int messagesPerCall) {

    public CaptureProperties {
        if (hepCollector != null && !hepCollector.isBlank()) {
            target(hepCollector, hepCaptureId, hepPassword); // a bad address fails the start, naming itself
        }
    }

    public static CaptureProperties off() {
        return new CaptureProperties("", 2001, "", 0, 100);
    }

    /** The collector, when capture is on. */
    public Optional<HepTarget> target() {
        return hepCollector == null || hepCollector.isBlank() ? Optional.empty()
                : Optional.of(target(hepCollector, hepCaptureId, hepPassword));
    }

    private static HepTarget target(String collector, int captureId, String password) {
        try {
            return HepTarget.parse(collector, captureId, password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pinhole.capture.hep-collector: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CaptureProperties[hepCollector=" + hepCollector + ", hepCaptureId=" + hepCaptureId
                + ", hepPassword=" + (hepPassword == null || hepPassword.isEmpty() ? "none" : "set")
                + ", recentCalls=" + recentCalls + ", messagesPerCall=" + messagesPerCall + "]";
    }
}
