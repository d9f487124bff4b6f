package io.pinhole.proxy.directory;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Directory settings ({@code pinhole.directory.*}).
 *
 * @param refreshInterval users and domains changed elsewhere are seen within this
 * @param domains         the domains this proxy serves; empty = every enabled domain in the
 *                        database. Proxies sharing one database each name theirs, so a call
 *                        between their domains goes proxy to proxy (through the redirect server)
 */
@ConfigurationProperties("pinhole.directory")
public record DirectoryProperties(@DefaultValue("5s") Duration refreshInterval, @DefaultValue("") List<String> domains) {
}
