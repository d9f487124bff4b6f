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
            result[0] = plan.apply(current == null ? List.of() : live(current, now));
            if (result[0] instanceof RegistrationResult.Accepted accepted) {
                return accepted.bindings().isEmpty() ? null : accepted.bindings();
            }
            return current;
        });
        if (result[0] instanceof RegistrationResult.Accepted stored) {
            for (Binding binding : stored.bindings()) {
                if (binding.owner() == null) {
                    accepted.accept(binding);
                }
            }
        }
        return result[0];
    }

    /**
     * The live ones of an AOR's stored (unmodifiable) bindings: the list itself when all are live, as
     * they are on every refresh. Loops, not a stream: this runs on every REGISTER, inside the map's
     * lock for the AOR (a stream's pipeline was 2 % of a REGISTER's CPU samples, bench/register).
     */
    static List<Binding> live(List<Binding> stored, Instant now) {
        int expired = 0;
        for (Binding binding : stored) {
            if (!binding.liveAt(now)) {
                expired++;
            }
        }
        if (expired == 0) {
            return stored;
        }
        List<Binding> live = new java.util.ArrayList<>(stored.size() - expired);
        for (Binding binding : stored) {
            if (binding.liveAt(now)) {
                live.add(binding);
            }
        }
        return List.copyOf(live);
    }

    public List<Binding> lookup(String aor, Instant now) {
        List<Binding> bindings = byAor.get(aor);
        return bindings == null ? List.of() : live(bindings, now);
    }

    public void load(Collection<Binding> bindings) {
        for (Binding binding : bindings) {
            if (binding.owner() == null) {
                accepted.accept(binding); // another proxy's flow is kept open (pinged, probed) by that proxy
            }
            byAor.merge(binding.aor(), List.of(binding), (a, b) -> {
                var merged = new java.util.ArrayList<>(a);
                merged.addAll(b);
                return List.copyOf(merged);
            });
        }
    }

    /**
     * Takes in what the database holds for one address of record after another proxy changed it
     * (io.pinhole.proxy.cluster): the other proxies' bindings are replaced by {@code stored}; this
     * proxy's own stay as memory has them, since memory is ahead of the database (the writer is
     * asynchronous). An own binding gives way only when another proxy registered the same key
     * later: the phone moved there. That a binding of ours was removed by a REGISTER at another
     * proxy is not seen here (its row is gone, which looks the same as a write not yet done); the
     * binding then lives here until it expires.
     */
    public void mergeStored(String aor, List<Binding> stored) {
        byAor.compute(aor, (key, current) -> merged(current, stored));
    }

    /** {@link #mergeStored} for every address of record at once: after the listening connection was lost. */
    public void mergeAllStored(Collection<Binding> stored) {
        java.util.Map<String, List<Binding>> byStoredAor = new java.util.HashMap<>();
        stored.forEach(b -> byStoredAor.computeIfAbsent(b.aor(), a -> new java.util.ArrayList<>()).add(b));
        java.util.Set<String> aors = new java.util.HashSet<>(byAor.keySet());
        aors.addAll(byStoredAor.keySet());
        for (String aor : aors) {
            mergeStored(aor, byStoredAor.getOrDefault(aor, List.of()));
        }
    }

    /** Forgets every binding of a user deleted meanwhile (at another proxy's admin API, or by hand). */
    public void dropAllOf(long userId) {
        removeWhere(b -> b.userId() == userId);
    }

    private static List<Binding> merged(List<Binding> current, List<Binding> stored) {
        List<Binding> foreign = stored.stream().filter(b -> b.owner() != null).toList();
        java.util.Map<String, Binding> foreignByKey = new java.util.HashMap<>();
        foreign.forEach(b -> foreignByKey.put(b.key(), b));
        var result = new java.util.ArrayList<Binding>();
        if (current != null) {
            for (Binding own : current) {
                Binding elsewhere = foreignByKey.get(own.key());
                if (own.owner() != null) {
                    continue; // replaced by what is stored
                }
                if (elsewhere != null && !elsewhere.registeredAt().isBefore(own.registeredAt())) {
                    continue; // the phone registered again through another proxy
                }
                if (elsewhere != null) {
                    foreignByKey.remove(own.key()); // ours is newer: that row is about to be overwritten by our writer
                }
                result.add(own);
            }
        }
        for (Binding b : foreign) {
            if (foreignByKey.get(b.key()) == b) {
                result.add(b);
            }
        }
        return result.isEmpty() ? null : List.copyOf(result);
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
