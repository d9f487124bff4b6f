package io.pinhole.proxy.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Admin API access ({@code pinhole.admin.*}). The token is read from {@code token}, or else
 * from the first line of {@code token-file}; with neither, every admin request is refused.
 */
@ConfigurationProperties("pinhole.admin")
public record AdminProperties(@DefaultValue("") String token, @DefaultValue("") String tokenFile) {

    @Override
    public String toString() {
        return "AdminProperties[token=" + (token.isEmpty() ? "unset" : "****") + ", tokenFile=" + tokenFile + "]";
    }
}
