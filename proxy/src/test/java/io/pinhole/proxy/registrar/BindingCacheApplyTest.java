package io.pinhole.proxy.registrar;

import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a REGISTER's plan is shown of an AOR's stored bindings, and who hears of the stored result. */
class BindingCacheApplyTest {

    private static final String AOR = "alice@example.org";
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private static Binding binding(String key, Instant expiresAt, String owner) {
        return new Binding(1, AOR, key, "sip:alice@192.168.1.5", "cid-" + key, 1, null, 600, expiresAt,
                new Flow("203.0.113.9", 40000, "UDP"), null, null, "phone", owner);
    }

    @Test
    void allLiveIsTheStoredListItself() {
        List<Binding> stored = List.of(binding("a", NOW.plusSeconds(1), null), binding("b", NOW.plusSeconds(60), null));

        assertThat(BindingCache.live(stored, NOW)).isSameAs(stored);
    }

    @Test
    void expiredOnesAreLeftOutOfAnUnmodifiableCopy() {
        List<Binding> stored = List.of(binding("gone", NOW, null), binding("live", NOW.plusSeconds(1), null),
                binding("old", NOW.minusSeconds(5), null));

        List<Binding> live = BindingCache.live(stored, NOW);

        assertThat(live).extracting(Binding::key).containsExactly("live");
        assertThat(stored).hasSize(3);
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> live.add(stored.get(0)));
    }

    @Test
    void thePlanSeesOnlyLiveBindingsAndOwnStoredOnesAreAnnounced() {
        List<Binding> heard = new ArrayList<>();
        BindingCache cache = new BindingCache(heard::add);
        cache.load(List.of(binding("expired", NOW.minusSeconds(1), null), binding("kept", NOW.plusSeconds(60), null)));
        heard.clear();
        Binding foreign = binding("foreign", NOW.plusSeconds(60), "sip:10.0.0.2:5060");
        Binding fresh = binding("fresh", NOW.plusSeconds(600), null);
        List<List<Binding>> seen = new ArrayList<>();

        cache.apply(AOR, NOW, live -> {
            seen.add(live);
            List<Binding> next = new ArrayList<>(live);
            next.add(foreign);
            next.add(fresh);
            return new RegistrationResult.Accepted(List.copyOf(next), List.of(fresh), List.of());
        });

        assertThat(seen.get(0)).extracting(Binding::key).containsExactly("kept");
        assertThat(heard).extracting(Binding::key).containsExactly("kept", "fresh");
        assertThat(cache.lookup(AOR, NOW)).extracting(Binding::key).containsExactly("kept", "foreign", "fresh");
        assertThat(cache.lookup(AOR, NOW.plusSeconds(100))).extracting(Binding::key).containsExactly("fresh");
    }
}
