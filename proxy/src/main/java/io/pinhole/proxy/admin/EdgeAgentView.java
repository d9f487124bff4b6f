package io.pinhole.proxy.admin;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.OffsetDateTime;

/** An edge agent's login token as the API lists it: never the token, which only its creation answers. */
public record EdgeAgentView(
        String name,
        @Schema(description = "user@domain the agent logs in as") String aor,
        OffsetDateTime createdAt,
        @Schema(description = "its last login, as far as the proxies wrote it", nullable = true) OffsetDateTime lastUsedAt,
        @Schema(description = "when it was revoked; null while it logs in", nullable = true) OffsetDateTime revokedAt) {
}
