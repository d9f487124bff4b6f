package io.pinhole.proxy.routing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Where calls for callees this proxy does not serve go ({@code pinhole.routing.*}).
 *
 * @param redirectServers host:port of the redirect servers, asked in order (UDP)
 * @param redirectTimeout how long one redirect server may take before the next is asked
 * @param defaultExpires  cache time of a redirect answer whose Contacts carry no expires
 */
@Validated
@ConfigurationProperties("pinhole.routing")
public record RoutingProperties(
        @DefaultValue("127.0.0.1:5070") List<String> redirectServers,
        @DefaultValue("2s") Duration redirectTimeout,
        @DefaultValue("60s") Duration defaultExpires) {
}
