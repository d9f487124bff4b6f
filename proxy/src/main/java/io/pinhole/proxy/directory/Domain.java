package io.pinhole.proxy.directory;

import java.time.OffsetDateTime;

public record Domain(String name, boolean enabled, OffsetDateTime createdAt) {
}
