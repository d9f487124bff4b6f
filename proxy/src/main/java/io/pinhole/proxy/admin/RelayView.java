package io.pinhole.proxy.admin;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A relay: its row, and how this proxy sees it now.
 *
 * @param id          the {@code relays} row, or null for the configured default relay (used while
 *                    the table holds no enabled relay with weight above 0)
 * @param status      {@code up}, {@code down}, {@code draining} (in the pool, no new calls),
 *                    {@code disabled}, {@code out} (enabled but weight 0, or not yet loaded)
 * @param activeCalls     this proxy's calls on it now
 * @param mediaTransports what it carries media over, as its last ng pong listed them ({@code udp} alone
 *                        for rtpengine or before any pong); null when not in this proxy's pool
 */
public record RelayView(
        @Schema(nullable = true) Long id, String name, String controlHost, int controlPort, String mediaAddress,
        int weight, boolean enabled, boolean draining,
        @Schema(allowableValues = {"up", "down", "draining", "disabled", "out"}) String status,
        @Schema(description = "answers commands and pings; null when not in this proxy's pool") Boolean up,
        int activeCalls,
        @Schema(description = "why it was last marked down (kept after it came back)") String lastError,
        Instant lastErrorAt,
        OffsetDateTime createdAt,
        @Schema(description = "media transports it serves (udp, tcp, tls, http), learnt from its ng pong; "
                + "null when not in this proxy's pool", nullable = true) List<String> mediaTransports) {
}
