package io.pinhole.proxy.registrar;

import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a proxy of a cluster takes in what other proxies stored (BindingListener's notifications). */
class BindingCacheMergeTest {

    private static final String AOR = "alice@example.org";
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final String PEER = "sip:10.0.0.2:5060";

    private static Binding binding(String key, String owner, Instant registeredAt) {
        return new Binding(1, AOR, key, "sip:alice@192.168.1.5", "cid-" + key, 1, null, 600,
                registeredAt.plusSeconds(600), new Flow("203.0.113.9", 40000, "UDP"), null, null, "phone", owner);
    }

    @Test
    void foreignBindingsAreReplacedByWhatIsStored() {
        BindingCache cache = new BindingCache();
        cache.mergeStored(AOR, List.of(binding("k1", PEER, NOW)));
        cache.mergeStored(AOR, List.of(binding("k2", PEER, NOW)));

        assertThat(cache.lookup(AOR, NOW)).extracting(Binding::key).containsExactly("k2");

        cache.mergeStored(AOR, List.of());
        assertThat(cache.lookup(AOR, NOW)).isEmpty();
    }

    @Test
    void ownBindingsStayAsMemoryHasThem() {
        BindingCache cache = new BindingCache();
        cache.load(List.of(binding("own", null, NOW)));

        cache.mergeStored(AOR, List.of(binding("k2", PEER, NOW))); // our own row not written yet

        assertThat(cache.lookup(AOR, NOW)).extracting(Binding::key).containsExactlyInAnyOrder("own", "k2");
    }

    @Test
    void ownBindingGivesWayWhenThePhoneRegisteredLaterElsewhere() {
        BindingCache cache = new BindingCache();
        cache.load(List.of(binding("k1", null, NOW)));

        cache.mergeStored(AOR, List.of(binding("k1", PEER, NOW.plusSeconds(5))));

        assertThat(cache.lookup(AOR, NOW)).extracting(Binding::owner).containsExactly(PEER);
    }

    @Test
    void newerOwnBindingOutlivesAnOlderRowOfTheSameKey() {
        BindingCache cache = new BindingCache();
        cache.load(List.of(binding("k1", null, NOW.plusSeconds(5))));

        cache.mergeStored(AOR, List.of(binding("k1", PEER, NOW)));

        assertThat(cache.lookup(AOR, NOW)).extracting(Binding::owner).containsOnlyNulls().hasSize(1);
    }

    @Test
    void foreignBindingsAreNeitherPingedNorProbedHere() {
        List<Binding> tracked = new ArrayList<>();
        BindingCache cache = new BindingCache(tracked::add);

        cache.load(List.of(binding("k1", PEER, NOW), binding("k2", null, NOW)));

        assertThat(tracked).extracting(Binding::key).containsExactly("k2");
    }

    @Test
    void fullReloadDropsForeignBindingsNoLongerStored() {
        BindingCache cache = new BindingCache();
        cache.mergeStored(AOR, List.of(binding("k1", PEER, NOW)));
        cache.mergeStored("bob@example.org", List.of(new Binding(2, "bob@example.org", "b", "sip:bob@h", "c", 1, null,
                600, NOW.plusSeconds(600), new Flow("1.2.3.4", 5060, "UDP"), null, null, null, PEER)));

        cache.mergeAllStored(List.of(binding("k3", PEER, NOW)));

        assertThat(cache.all(NOW)).extracting(Binding::key).containsExactly("k3");
    }
}
