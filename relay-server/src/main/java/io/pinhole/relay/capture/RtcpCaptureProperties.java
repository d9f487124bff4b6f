package io.pinhole.relay.capture;

import io.pinhole.wire.hep.HepTarget;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * RTCP capture ({@code pinhole.relay.capture.*}): where the relay sends a summary of every RTCP
 * report it relays, as HEP to the same Homer collector the proxy sends SIP to, filed under the
 * call's Call-ID. A bad collector fails the start, naming the property.
 *
 * @param hepCollector "udp:host:port" or "tcp:host:port" ("host:port" = UDP); empty = no capture
 * @param hepCaptureId this node's capture agent id, as the collector shows it
 * @param hepPassword  the collector's auth key, if it wants one (never logged)
 */
@ConfigurationProperties("pinhole.relay.capture")
public record RtcpCaptureProperties(
        @DefaultValue("") String hepCollector,
        @DefaultValue("2003") int hepCaptureId,
        @DefaultValue("") String hepPassword) {

    public RtcpCaptureProperties {
        if (hepCaptureId < 0) {
            throw new IllegalArgumentException("pinhole.relay.capture.hep-capture-id must be >= 0, was " + hepCaptureId);
        }
        target(hepCollector, hepCaptureId, hepPassword);
    }

    public Optional<HepTarget> target() {
        return target(hepCollector, hepCaptureId, hepPassword);
    }

    private static Optional<HepTarget> target(String collector, int captureId, String password) {
        if (collector == null || collector.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(HepTarget.parse(collector, captureId, password));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pinhole.relay.capture.hep-collector: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "RtcpCaptureProperties[hepCollector=" + hepCollector + ", hepCaptureId=" + hepCaptureId
                + ", hepPassword=" + (hepPassword == null || hepPassword.isEmpty() ? "none" : "set") + "]";
    }
}
