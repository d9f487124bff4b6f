package io.pinhole.proxy.registrar;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Live bindings per address of record, in memory: the registrar and (later) call routing read
 * them here, never from the database. Each AOR is updated atomically.
 */
public final class BindingCache {

    private final ConcurrentHashMap<String, List<Binding>> byAor = new ConcurrentHashMap<>();
    private final java.util.function.Consumer<Binding> accepted;

    public BindingCache() {
        this(binding -> {
        });
    }

    /** {@code accepted} hears of every binding stored (registered, refreshed or loaded), e.g. to keep its flow open. */
    public BindingCache(java.util.function.Consumer<Binding> accepted) {
        this.accepted = accepted;
    }

    /**
     * Runs {@code plan} on the AOR's live bindings and stores the accepted result, as one
     * atomic step per AOR (two REGISTERs for one phone cannot interleave).
     */
    public RegistrationResult apply(String aor, Instant now, Function<List<Binding>, RegistrationResult> plan) {
        RegistrationResult[] result = new RegistrationResult[1];
        byAor.compute(aor, (key, current) -> {
            List<Binding> live = current == null ? List.of() : current.stream().filter(b -> b.liveAt(now)).toList();
            result[0] = plan.apply(live);
            if (result[0] instanceof RegistrationResult.Accepted accepted) {
                return accepted.bindings().isEmpty() ? null : accepted.bindings();
            }
            return current;
        });
        if (result[0] instanceof RegistrationResult.Accepted stored) {
            stored.bindings().forEach(accepted);
        }
        return result[0];
    }

    public List<Binding> lookup(String aor, Instant now) {
        List<Binding> bindings = byAor.get(aor);
        return bindings == null ? List.of() : bindings.stream().filter(b -> b.liveAt(now)).toList();
    }

    public void load(Collection<Binding> bindings) {
        for (Binding binding : bindings) {
            accepted.accept(binding);
            byAor.merge(binding.aor(), List.of(binding), (a, b) -> {
                var merged = new java.util.ArrayList<>(a);
                merged.addAll(b);
                return List.copyOf(merged);
            });
        }
    }

    /** Drops expired bindings; returns how many were dropped. */
    public int purgeExpired(Instant now) {
        int[] dropped = {0};
        for (String aor : byAor.keySet()) {
            byAor.computeIfPresent(aor, (key, bindings) -> {
                List<Binding> live = bindings.stream().filter(b -> b.liveAt(now)).toList();
                dropped[0] += bindings.size() - live.size();
                return live.isEmpty() ? null : live;
            });
        }
        return dropped[0];
    }

    /** Forgets the bindings of users or domains that were deleted or disabled by the admin. */
    public void removeWhere(java.util.function.Predicate<Binding> condition) {
        for (String aor : byAor.keySet()) {
            byAor.computeIfPresent(aor, (key, bindings) -> {
                List<Binding> kept = bindings.stream().filter(condition.negate()).toList();
                return kept.isEmpty() ? null : kept;
            });
        }
    }

    /** Every live binding, for the admin API. */
    public List<Binding> all(Instant now) {
        return byAor.values().stream().flatMap(List::stream).filter(b -> b.liveAt(now)).toList();
    }

    public int size() {
        return byAor.values().stream().mapToInt(List::size).sum();
    }
}
