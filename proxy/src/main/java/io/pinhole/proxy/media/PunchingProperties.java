package io.pinhole.proxy.media;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * Whether the path planner may plan hole punching ({@code pinhole.media.punching.*}). Until
 * punching is carried out a planned PUNCH is relayed, so switching it off changes only the CDR's
 * planned path and reason.
 *
 * @param enabled         off: never plan PUNCH, relay instead
 * @param disabledDomains domains whose calls are never punched (either leg's domain counts)
 */
@Validated
@ConfigurationProperties("pinhole.media.punching")
public record PunchingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("") List<String> disabledDomains) {
}
