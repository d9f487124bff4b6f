package io.pinhole.proxy.media;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pinhole.media.ice}: see {@link IcePolicy}. FORCE by default: it is the only setting under
 * which an ICE phone hears anything through a relay, and it costs a phone without ICE nothing but
 * four ignored lines per stream.
 */
@ConfigurationProperties("pinhole.media")
public record IceProperties(@DefaultValue("force") IcePolicy ice) {
}
