package io.pinhole.proxy.admin;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body {@code POST /api/edge-agents} accepts, checked as the {@code edge_agent_tokens} table would. */
@Schema(description = "A login token for an edge agent: it registers as this user with the token instead of a digest")
record EdgeAgentRequests(
        @Schema(description = "the token's name, to list and revoke it by")
        @NotBlank @Size(max = 64) @Pattern(regexp = RelayRequests.NAME_PATTERN,
                message = "may contain letters, digits and . _ - only") String name,
        @Schema(description = "the user (of domain) the agent logs in as")
        @NotBlank @Size(max = 128) @Pattern(regexp = AdminRequests.USERNAME_PATTERN,
                message = "may contain letters, digits and . _ ~ + - only") String user,
        @NotBlank @Size(max = 253) String domain) {
}
