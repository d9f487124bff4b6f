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
 * <p>What media transports each relay serves is not configured: the proxy learns it from the relay's
 * answer to every health ping ({@link RelayTransports}).
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
        @DefaultValue("") java.util.List<String> trustedRelays) {

    @Override
    public String toString() {
        return "RelayProperties[policy=" + policy + ", defaultRelay=" + defaultRelay + ", secret="
                + (secret.isEmpty() ? "unset" : "****") + ", timeout=" + timeout + "]";
    }
}
