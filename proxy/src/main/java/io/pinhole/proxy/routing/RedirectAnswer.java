package io.pinhole.proxy.routing;

import java.time.Instant;
import java.util.List;

/** What the redirect servers said about a Request-URI. */
public sealed interface RedirectAnswer {

    /** 301/302: try these in order (highest q first); valid until {@code expiresAt}. */
    record Targets(List<RedirectTarget> targets, Instant expiresAt) implements RedirectAnswer {
        public Targets {
            targets = List.copyOf(targets);
        }
    }

    /** A final refusal (404 and the like), passed back to the caller. */
    record Refused(int status, String reason) implements RedirectAnswer {
    }

    /** No redirect server answered in time. */
    record Unavailable(String why) implements RedirectAnswer {
    }
}
