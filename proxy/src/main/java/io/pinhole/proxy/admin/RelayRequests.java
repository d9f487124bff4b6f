package io.pinhole.proxy.admin;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Bodies the relay endpoints accept, checked as the {@code relays} table would. */
final class RelayRequests {

    static final String NAME_PATTERN = "^[A-Za-z0-9._-]+$";
    /** A host name, or an IPv4 or IPv6 address (no brackets): what the proxy's ng client resolves. */
    static final String HOST_PATTERN = "^(?i)([a-z0-9]([a-z0-9.-]*[a-z0-9])?|[0-9a-f:.]*:[0-9a-f:.]*)$";

    private RelayRequests() {
    }

    @Schema(description = "A relay the proxies may allocate media on")
    record CreateRelay(
            @NotBlank @Size(max = 64) @Pattern(regexp = NAME_PATTERN,
                    message = "may contain letters, digits and . _ - only") String name,
            @Schema(description = "host name or IP address of its ng control port, as the proxies reach it")
            @NotBlank @Size(max = 253) @Pattern(regexp = HOST_PATTERN,
                    message = "must be a host name or an IP address") String controlHost,
            @NotNull @Min(1) @Max(65535) Integer controlPort,
            @Schema(description = "its media address (informational: the proxy does not read it)")
            @Size(max = 45) String mediaAddress,
            @Schema(description = "share of new calls; 0 takes it out of the pool", defaultValue = "1")
            @Min(0) Integer weight,
            @Schema(defaultValue = "true") Boolean enabled,
            @Schema(description = "no new calls, calls on it carry on", defaultValue = "false") Boolean draining) {
    }

    @Schema(description = "Fields to change; absent ones stay. Drain: {\"draining\": true}; disable: {\"enabled\": false}")
    record UpdateRelay(
            @Schema(description = "share of new calls; 0 takes it out of the pool") @Min(0) Integer weight,
            Boolean enabled,
            @Schema(description = "true: no new calls, calls on it carry on; false: back in the pool") Boolean draining) {
    }
}
