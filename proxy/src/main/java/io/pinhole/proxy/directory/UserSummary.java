package io.pinhole.proxy.directory;

import java.time.OffsetDateTime;

/** A user as the admin API shows it: never the digests. */
public record UserSummary(String username, String domain, String displayName, boolean enabled, OffsetDateTime createdAt) {
}
