package io.pinhole.proxy.routing;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Redirect answers per Request-URI, for as long as their Contacts' expires allow. */
public final class RedirectCache {

    private static final int MAX_ENTRIES = 100_000;

    private final ConcurrentHashMap<String, RedirectAnswer.Targets> answers = new ConcurrentHashMap<>();
    private final Clock clock;

    public RedirectCache(Clock clock) {
        this.clock = clock;
    }

    public Optional<RedirectAnswer.Targets> get(String requestUri) {
        RedirectAnswer.Targets answer = answers.get(requestUri);
        if (answer == null) {
            return Optional.empty();
        }
        if (!answer.expiresAt().isAfter(clock.instant())) {
            answers.remove(requestUri, answer);
            return Optional.empty();
        }
        return Optional.of(answer);
    }

    public void put(String requestUri, RedirectAnswer.Targets answer) {
        if (answers.size() >= MAX_ENTRIES) {
            answers.values().removeIf(a -> !a.expiresAt().isAfter(clock.instant()));
            if (answers.size() >= MAX_ENTRIES) {
                return; // still full of live answers: ask again next time rather than grow without bound
            }
        }
        answers.put(requestUri, answer);
    }

    /** A target failed in a way that says the route is wrong: ask again next time. */
    public void forget(String requestUri) {
        answers.remove(requestUri);
    }
}
