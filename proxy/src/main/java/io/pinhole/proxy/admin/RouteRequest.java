package io.pinhole.proxy.admin;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.ArrayList;
import java.util.List;

/**
 * A route as the admin API takes it (create, and the state a PATCH is merged into). The checks
 * are those of the {@code routes} table (V1, V2), made before the database sees the row, plus
 * the redirect server's reading of {@code target_uri}, so no route is stored that it would skip.
 * Absent optional fields take the table's defaults.
 */
@Schema(description = "A route: what it matches, where it sends the call, and for trunks the number plan and "
        + "outbound credentials. PATCH takes any subset: given fields replace, null clears an optional one, "
        + "\"auth\": null removes the credentials.")
public record RouteRequest(
        @Schema(description = "user part; needs matchDomain, excludes matchPrefix")
        @Size(min = 1, max = 128) @Pattern(regexp = AdminRequests.USERNAME_PATTERN,
                message = "may contain letters, digits and . _ ~ + - only") String matchUser,
        @Schema(description = "domain (stored in lower case)")
        @Size(min = 1, max = 253) @Pattern(regexp = HOST_PATTERN,
                message = "must be a host name (letters, digits, dots, hyphens)") String matchDomain,
        @Schema(description = "number prefix, '+'? and 1-32 digits", example = "+49")
        @Pattern(regexp = "^\\+?[0-9]{1,32}$", message = "must be '+'? and 1 to 32 digits") String matchPrefix,
        @Schema(description = "sip: or sips: URI the call is sent to", example = "sip:203.0.113.5:5060")
        @NotBlank @Size(max = 1024) @Pattern(regexp = TARGET_PATTERN,
                message = "must be a sip: or sips: URI with a host (and optional user, port, parameters)")
        String targetUri,
        @Schema(allowableValues = {"proxy", "trunk"}, defaultValue = "proxy")
        @Pattern(regexp = "^(proxy|trunk)$", message = "must be proxy or trunk") String kind,
        @Schema(description = "the Contact's q", defaultValue = "1.0")
        @DecimalMin("0") @DecimalMax("1") Float priority,
        @Schema(description = "share among routes of equal priority", defaultValue = "1")
        @Min(0) Integer weight,
        @Schema(description = "301 instead of 302", defaultValue = "false") Boolean permanent,
        @Schema(description = "the Contact's expires; null: the redirect server's default")
        @Min(0) Integer expiresSeconds,
        @Schema(defaultValue = "true") Boolean enabled,
        @Schema(description = "dialled prefix standing for '+'", example = "00")
        @Pattern(regexp = "^[0-9]{1,4}$", message = "must be 1 to 4 digits") String intlPrefix,
        @Schema(description = "trunk prefix of national numbers; needs countryCode", example = "0")
        @Pattern(regexp = "^[0-9]{1,4}$", message = "must be 1 to 4 digits") String nationalPrefix,
        @Schema(example = "49")
        @Pattern(regexp = "^[1-9][0-9]{0,2}$", message = "must be 1 to 3 digits, not starting with 0") String countryCode,
        @Schema(description = "digits without a known prefix are E.164 without the '+'", defaultValue = "false")
        Boolean plusOptional,
        @Schema(allowableValues = {"as-received", "e164", "e164-digits", "national"}, defaultValue = "as-received")
        @Pattern(regexp = "^(as-received|e164|e164-digits|national)$",
                message = "must be as-received, e164, e164-digits or national") String numberFormat,
        @Schema(allowableValues = {"udp", "tcp", "tls"})
        @Pattern(regexp = "^(udp|tcp|tls)$", message = "must be udp, tcp or tls") String transport,
        @Schema(description = "outbound digest credentials of a trunk; stored only as HA1 digests, never shown")
        @Valid TrunkAuth auth) {

    /** A host name, an IPv4 address, or an IPv6 reference in brackets; any case. */
    static final String HOST_PATTERN = "^(?i)([a-z0-9]([a-z0-9.-]*[a-z0-9])?|\\[[0-9a-f:.]+])$";
    /** What the redirect server's {@code TargetUri} accepts (redirect-server/.../routing/TargetUri.java). */
    static final String TARGET_PATTERN =
            "^(?i)(sips?):(?:([^@;?<>\\s\"]+)@)?((?:\\[[0-9a-f:.]+\\]|[a-z0-9.-]+)(?::[0-9]{1,5})?)((?:;[^;?<>\\s\"]+)*)$";

    /** A carrier account: the password is turned into HA1 digests over {@code username:realm:password}. */
    public record TrunkAuth(
            @NotBlank @Size(max = 128) String username,
            @NotNull @Size(min = 1, max = 128) String password,
            @Schema(description = "the realm the carrier challenges with", example = "carrier.example")
            @NotBlank @Size(max = 253) String realm) {

        @Override
        public String toString() {
            return "TrunkAuth[username=" + username + ", realm=" + realm + "]";
        }
    }

    /** The rules across fields (the table's multi-column checks), as "field: message" lines. */
    List<String> crossFieldProblems() {
        List<String> problems = new ArrayList<>();
        if (matchDomain == null && matchPrefix == null) {
            problems.add("matchDomain: a route matches a domain, a number prefix (matchPrefix), or both");
        }
        if (matchUser != null && matchDomain == null) {
            problems.add("matchUser: needs matchDomain");
        }
        if (matchUser != null && matchPrefix != null) {
            problems.add("matchPrefix: a route matches a user or a number prefix, not both");
        }
        if (nationalPrefix != null && countryCode == null) {
            problems.add("nationalPrefix: needs countryCode");
        }
        if ("national".equals(numberFormat) && countryCode == null) {
            problems.add("numberFormat: national needs countryCode");
        }
        if (auth != null && !"trunk".equals(kind == null ? "proxy" : kind)) {
            problems.add("auth: only trunk routes carry credentials");
        }
        return problems;
    }
}
