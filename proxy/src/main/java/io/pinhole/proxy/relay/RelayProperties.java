package io.pinhole.proxy.relay;

import io.pinhole.proxy.media.MediaPolicy;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the proxy reaches media relays ({@code pinhole.media.*}).
 *
 * @param policy         {@code auto} (relay when either leg is behind NAT), {@code always}, {@code never}
 * @param defaultRelay   host:port of the relay used while the {@code relays} table is empty
 * @param secret         ng shared secret sent with every command (the relays' {@code pinhole.relay.secret})
 * @param timeout        how long one ng command may take (retransmitted meanwhile); three in a
 *                       row unanswered, or a failed ping, take the relay out of the pool
 * @param pingInterval   how often relays are pinged (down ones come back when they answer)
 * @param reloadInterval how often the {@code relays} table is re-read
 * @param trustedRelays  media addresses of relays (ours or a partner's) whose SDP needs no
 *                       second relay: an offer pointing only at them is passed on as it is
 * @param relayTransports the stream transports ({@code tcp}, {@code tls}, {@code http}) every relay of the pool
 *                       serves media over: the planner plans RELAY_TCP / RELAY_HTTP legs only when they are
 *                       listed, and otherwise relays such a leg over UDP and says so in the CDR's reason
 */
@Validated
@ConfigurationProperties("pinhole.media")
public record RelayProperties(
        @DefaultValue("auto") MediaPolicy policy,
        @DefaultValue("127.0.0.1:2223") @NotBlank String defaultRelay,
        @DefaultValue("") String secret,
        @DefaultValue("2s") Duration timeout,
        @DefaultValue("2s") Duration pingInterval,
        @DefaultValue("10s") Duration reloadInterval,
        @DefaultValue("") java.util.List<String> trustedRelays,
        @DefaultValue("") java.util.Set<io.pinhole.proxy.media.MediaTransport> relayTransports) {

    public RelayProperties {
        relayTransports = relayTransports == null ? java.util.Set.of()
                : relayTransports.stream().filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public String toString() {
        return "RelayProperties[policy=" + policy + ", defaultRelay=" + defaultRelay + ", secret="
                + (secret.isEmpty() ? "unset" : "****") + ", timeout=" + timeout + "]";
    }
}
