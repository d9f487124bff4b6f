package io.pinhole.proxy.admin;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answer to creating an edge agent's token: the only time the token is shown. */
public record EdgeAgentCreated(
        String name,
        String aor,
        @Schema(description = "user@domain:secret, the whole content of the agent's --token-file; shown once, "
                + "only its SHA-256 is kept") String token) {

    @Override
    public String toString() {
        return "EdgeAgentCreated[" + name + ", " + aor + "]";
    }
}
