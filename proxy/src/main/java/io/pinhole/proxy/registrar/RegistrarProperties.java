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
 */
@Validated
@ConfigurationProperties("pinhole.registrar")
public record RegistrarProperties(
        @DefaultValue("60") @Min(1) int minExpires,
        @DefaultValue("7200") @Min(1) int maxExpires,
        @DefaultValue("3600") @Min(1) int defaultExpires,
        @DefaultValue("10") @Min(1) @Max(1000) int maxContacts,
        @DefaultValue("10s") Duration purgeInterval,
        @DefaultValue("100000") @Min(100) int writeQueueCapacity) {

    public RegistrarPolicy policy() {
        return new RegistrarPolicy(minExpires, maxExpires, defaultExpires, maxContacts);
    }
}
