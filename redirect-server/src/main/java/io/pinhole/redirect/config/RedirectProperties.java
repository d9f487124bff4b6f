package io.pinhole.redirect.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
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
 * {@code pinhole.redirect.*}. Every setting can come from the environment through Spring's
 * relaxed binding: {@code pinhole.redirect.sip.port} is {@code PINHOLE_REDIRECT_SIP_PORT}.
 *
 * @param sip            where and how SIP is answered
 * @param defaultExpires Contact {@code expires} (seconds) for routes that set none: how long a
 *                       proxy may cache the answer
 * @param maxContacts    most Contacts in one answer (the best by q and weight are kept)
 * @param reload         how route changes in PostgreSQL reach the in-memory table
 * @param capture        SIP capture to a HEP v3 collector (Homer), off by default
 */
@Validated
@ConfigurationProperties("pinhole.redirect")
public record RedirectProperties(
        @Valid @NotNull @DefaultValue Sip sip,
        @Min(0) @Max(86400) @DefaultValue("3600") int defaultExpires,
        @Min(1) @Max(64) @DefaultValue("8") int maxContacts,
        @Valid @NotNull @DefaultValue Reload reload,
        @Valid @NotNull @DefaultValue Capture capture) {

    /**
     * @param hepCollector "udp:host:port" or "tcp:host:port"; empty = no capture
     * @param hepCaptureId this node's capture agent id
     * @param hepPassword  the collector's auth key (never logged)
     */
    public record Capture(
            @NotNull @DefaultValue("") String hepCollector,
            @Min(0) @DefaultValue("2002") int hepCaptureId,
            @NotNull @DefaultValue("") String hepPassword) {

        public Capture {
            if (hepCollector != null && !hepCollector.isBlank()) {
                target(hepCollector, hepCaptureId, hepPassword); // a bad address fails the start, naming itself
            }
        }

        /** The collector, when capture is on. */
        public java.util.Optional<io.pinhole.wire.hep.HepTarget> target() {
            return hepCollector.isBlank() ? java.util.Optional.empty()
                    : java.util.Optional.of(target(hepCollector, hepCaptureId, hepPassword));
        }

        private static io.pinhole.wire.hep.HepTarget target(String collector, int captureId, String password) {
            try {
                return io.pinhole.wire.hep.HepTarget.parse(collector, captureId, password);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pinhole.redirect.capture.hep-collector: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "Capture[hepCollector=" + hepCollector + ", hepCaptureId=" + hepCaptureId + ", hepPassword="
                    + (hepPassword == null || hepPassword.isEmpty() ? "none" : "set") + "]";
        }
    }

    /**
     * @param bindAddress    IP address the SIP listening points bind (loopback unless set)
     * @param port           UDP and TCP port
     * @param transports     any of udp, tcp
     * @param threadPoolSize JAIN-SIP threads that parse and answer requests
     * @param responseMode   stateless (answer each request, retransmissions included, without
     *                       keeping a transaction) or transaction (a server transaction per request)
     * @param aliases        host names and addresses, besides bindAddress, under which proxies
     *                       address this server: an OPTIONS to one of them without a user part
     *                       (a proxy's keepalive) is answered 200 here instead of being routed
     */
    public record Sip(
            @NotBlank @DefaultValue("127.0.0.1") String bindAddress,
            @Min(1) @Max(65535) @DefaultValue("5070") int port,
            @NotEmpty @DefaultValue({"udp", "tcp"}) List<@Pattern(regexp = "(?i)udp|tcp",
                    message = "must be udp or tcp") String> transports,
            @Min(1) @Max(64) @DefaultValue("4") int threadPoolSize,
            @NotNull @DefaultValue("stateless") ResponseMode responseMode,
            @NotNull @DefaultValue({}) List<@NotBlank String> aliases) {
    }

    /**
     * @param pollInterval  longest wait for a NOTIFY before checking again (bounds shutdown time)
     * @param fullInterval  reload even without a notification, in case one was lost
     * @param retryDelay    wait before reconnecting after the database went away
     */
    public record Reload(
            @NotNull @DurationMin(millis = 10) @DurationMax(seconds = 1) @DefaultValue("250ms") Duration pollInterval,
            @NotNull @DurationMin(seconds = 1) @DefaultValue("60s") Duration fullInterval,
            @NotNull @DurationMin(millis = 10) @DefaultValue("1s") Duration retryDelay) {
    }

    public enum ResponseMode {
        STATELESS,
        TRANSACTION
    }
}
