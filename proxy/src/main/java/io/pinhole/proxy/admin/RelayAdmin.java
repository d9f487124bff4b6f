package io.pinhole.proxy.admin;

import io.pinhole.proxy.media.MediaTransport;
import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;
import io.pinhole.wire.net.IpLiteral;
import org.springframework.stereotype.Service;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Admin changes to relays. This proxy's pool re-reads the table at once; other proxies within
 * their {@code pinhole.media.reload-interval}. Draining and disabling never cut calls short: a
 * draining relay stays in the pool without new calls, and one that leaves the pool is kept until
 * this proxy's calls on it end.
 */
@Service
class RelayAdmin {


    private final RelayStore store;
    private final RelayPool pool;

    RelayAdmin(RelayStore store, RelayPool pool) {
        this.store = store;
        this.pool = pool;
    }

    /** Every row, and the configured default relay while the pool uses it. */
    public List<RelayView> relays() {
        List<RelayView> views = new ArrayList<>();
        for (Relay relay : pool.relays()) {
            if (relay.id() == null) {
                views.add(defaultRelay(relay));
            }
        }
        store.all().forEach(row -> views.add(view(row)));
        return views;
    }

    public RelayView relay(String name) {
        return view(row(name));
    }

    public RelayView create(RelayRequests.CreateRelay request) {
        String media = mediaAddress(request.mediaAddress());
        if (!store.insert(request.name(), request.controlHost(), request.controlPort(), media,
                request.weight() == null ? 1 : request.weight(), request.enabled() == null || request.enabled(),
                Boolean.TRUE.equals(request.draining()))) {
            throw ApiException.conflict("relay " + request.name());
        }
        pool.reload();
        return relay(request.name());
    }

    public RelayView update(String name, RelayRequests.UpdateRelay request) {
        RelayStore.Row current = row(name);
        if (!store.update(name, request.weight() == null ? current.weight() : request.weight(),
                request.enabled() == null ? current.enabled() : request.enabled(),
                request.draining() == null ? current.draining() : request.draining())) {
            throw ApiException.notFound("relay " + name);
        }
        pool.reload();
        return relay(name);
    }

    public void delete(String name) {
        if (!store.delete(name)) {
            throw ApiException.notFound("relay " + name);
        }
        pool.reload();
    }

    private RelayStore.Row row(String name) {
        return store.find(name).orElseThrow(() -> ApiException.notFound("relay " + name));
    }

    private RelayView view(RelayStore.Row row) {
        Optional<Relay> live = pool.byId(row.id());
        boolean inPool = pool.relays().stream().anyMatch(r -> r.id() != null && r.id() == row.id());
        String status = !row.enabled() ? "disabled"
                : !inPool ? "out"
                : !live.get().up() ? "down"
                : live.get().draining() ? "draining"
                : "up";
        Relay.Problem problem = live.map(Relay::lastProblem).orElse(null);
        return new RelayView(row.id(), row.name(), row.controlHost(), row.controlPort(), row.mediaAddress(), row.weight(),
                row.enabled(), row.draining(), status, inPool ? live.get().up() : null,
                live.map(Relay::active).orElse(0), problem == null ? null : problem.reason(),
                problem == null ? null : problem.at(), row.createdAt(),
                inPool ? transports(live.get()) : null);
    }

    private static RelayView defaultRelay(Relay relay) {
        InetSocketAddress control = relay.client().relay();
        Relay.Problem problem = relay.lastProblem();
        return new RelayView(null, relay.name(), control.getHostString(), control.getPort(), null, relay.weight(), true,
                false, relay.up() ? "up" : "down", relay.up(), relay.active(),
                problem == null ? null : problem.reason(), problem == null ? null : problem.at(), null,
                transports(relay));
    }

    /** Its transports' wire names in the enum's order ("udp", "tls", "http"): a stable list for the API. */
    private static List<String> transports(Relay relay) {
        return EnumSet.copyOf(relay.transports()).stream().map(MediaTransport::wire).toList();
    }

    /**
     * An IP address literal, or null; never a name looked up in DNS. Stored as text, so only plain
     * forms: IPv4 in canonical dotted-quad (no leading zeros), IPv6 without brackets or zone.
     */
    private static String mediaAddress(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String candidate = text.strip();
        InetAddress address = IpLiteral.parse(candidate);
        boolean plain = candidate.indexOf(':') >= 0
                ? candidate.indexOf('[') < 0 && candidate.indexOf('%') < 0
                : address != null && candidate.equals(address.getHostAddress());
        if (address != null && plain) {
            return candidate;
        }
        throw ApiException.badRequest("mediaAddress: must be an IPv4 or IPv6 address");
    }
}
