package io.pinhole.proxy.probe;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The capability probe of each registration ({@code pinhole.probe.*}).
 *
 * @param enabled      probe new registration flows at all
 * @param port         our second UDP port the unsolicited probe is sent from (0 = any free port)
 * @param delay        wait after the REGISTER before probing (the phone is busy with its 200)
 * @param timeout      how long both probes' answers are awaited
 * @param maxPerSecond probes started per second at most (a restart reloads every binding)
 * @param natOnly      probe only flows behind NAT (a phone whose Contact is its packet's source
 *                     is recorded as not behind NAT and not probed); false probes every UDP flow,
 *                     which also finds stateful firewalls in front of public phones
 */
@ConfigurationProperties("pinhole.probe")
public record ProbeProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0") int port,
        @DefaultValue("1s") Duration delay,
        @DefaultValue("2s") Duration timeout,
        @DefaultValue("200") int maxPerSecond,
        @DefaultValue("true") boolean natOnly) {

    public ProbeProperties {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("pinhole.probe.port must be 0..65535, was " + port);
        }
        if (delay == null || delay.isNegative() || delay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("pinhole.probe.delay must be between 0 and 1m, was " + delay);
        }
        if (timeout == null || timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("pinhole.probe.timeout must be between 100ms and 1m, was " + timeout);
        }
        if (maxPerSecond < 1 || maxPerSecond > 100_000) {
            throw new IllegalArgumentException("pinhole.probe.max-per-second must be 1..100000, was " + maxPerSecond);
        }
    }
}
