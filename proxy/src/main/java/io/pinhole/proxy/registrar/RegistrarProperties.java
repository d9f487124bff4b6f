package io.pinhole.proxy.registrar;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Registrar settings ({@code pinhole.registrar.*}).
 *
 * @param minExpires         shorter requests get 423 Interval Too Brief with this Min-Expires
 * @param maxExpires         longer requests are granted this
 * @param defaultExpires     when neither the contact nor the request says
 * @param maxContacts        bindings per address of record
 * @param purgeInterval      how often expired bindings are removed from memory and database
 * @param writeQueueCapacity binding changes waiting for the database before REGISTERs get 503
 * @param flowTimerUdp       Flow-Timer told to RFC 5626 outbound phones on UDP: they send STUN
 *                           keepalives at 80-100 % of it, so it stays below the 30 s a Linux
 *                           conntrack keeps a quiet UDP mapping
 * @param flowTimerTcp       Flow-Timer for outbound phones on TCP/TLS (CRLF keepalives)
 */
@Validated
@ConfigurationProperties("pinhole.registrar")
public record RegistrarProperties(
        @DefaultValue("60") @Min(1) int minExpires,
        @DefaultValue("7200") @Min(1) int maxExpires,
        @DefaultValue("3600") @Min(1) int defaultExpires,
        @DefaultValue("10") @Min(1) @Max(1000) int maxContacts,
        @DefaultValue("10s") Duration purgeInterval,
        @DefaultValue("100000") @Min(100) int writeQueueCapacity,
        @DefaultValue("25s") Duration flowTimerUdp,
        @DefaultValue("120s") Duration flowTimerTcp) {

    public RegistrarProperties {
        for (var timer : java.util.Map.of("pinhole.registrar.flow-timer-udp", flowTimerUdp,
                "pinhole.registrar.flow-timer-tcp", flowTimerTcp).entrySet()) {
            if (timer.getValue() == null || timer.getValue().toSeconds() < 5 || timer.getValue().toSeconds() > 3600) {
                throw new IllegalArgumentException(timer.getKey() + " must be between 5s and 1h, was " + timer.getValue());
            }
        }
    }

    public RegistrarPolicy policy() {
        return new RegistrarPolicy(minExpires, maxExpires, defaultExpires, maxContacts, (int) flowTimerUdp.toSeconds(),
                (int) flowTimerTcp.toSeconds());
    }
}
