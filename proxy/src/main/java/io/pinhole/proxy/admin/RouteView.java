package io.pinhole.proxy.admin;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.OffsetDateTime;

/** A route as the admin API shows it: every column but the credentials' digests. */
public record RouteView(long id, String matchUser, String matchDomain, String matchPrefix, String targetUri, String kind,
                        float priority, int weight, boolean permanent, Integer expiresSeconds, boolean enabled,
                        String intlPrefix, String nationalPrefix, String countryCode, boolean plusOptional,
                        String numberFormat, String transport,
                        @Schema(description = "the trunk's account, or null; the HA1 digests are never shown")
                        TrunkAccount auth,
                        OffsetDateTime createdAt) {

    /** Who the proxy authenticates as towards a carrier. */
    public record TrunkAccount(String username, String realm) {
    }
}
