package io.pinhole.redirect.routing;

import javax.sip.address.URI;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of the enabled routes, indexed for look-up. {@link #lookup} is a pure
 * function of the snapshot and the Request-URI: the rules, first that has any routes wins,
 * are
 * <ol>
 *   <li>user@domain exactly (user case-sensitive, domain not),</li>
 *   <li>the domain,</li>
 *   <li>the longest number prefix: a {@code +} prefix against the number made E.164 by each
 *       route's own plan, a bare prefix against the digits as dialled; at equal length a prefix
 *       scoped to the request's domain beats an unscoped one.</li>
 * </ol>
 * All routes of the winning key are returned; 301 only when every one of them is permanent. A
 * Contact equal to the Request-URI is left out, and 482 answered when nothing else remains.
 */
public final class RouteTable {

    private static final Comparator<Entry> PREFERENCE = Comparator
            .comparingDouble((Entry e) -> -e.route.q())
            .thenComparingInt(e -> -e.route.weight())
            .thenComparingLong(e -> e.route.id());

    private final int size;
    private final Map<String, List<Entry>> byUserAtDomain;
    private final Map<String, List<Entry>> byDomain;
    private final Map<PrefixKey, List<Entry>> byPrefix;
    private final List<NumberPlan> plans;
    private final BitSet prefixLengths;

    private RouteTable(Collection<Route> routes, int defaultExpiresSeconds) {
        Map<String, List<Entry>> users = new HashMap<>();
        Map<String, List<Entry>> domains = new HashMap<>();
        Map<PrefixKey, List<Entry>> prefixes = new HashMap<>();
        Set<NumberPlan> planSet = new LinkedHashSet<>();
        BitSet lengths = new BitSet();
        for (Route route : routes) {
            Entry entry = new Entry(route, qText(route.q()),
                    route.expiresSeconds() != null ? route.expiresSeconds() : defaultExpiresSeconds);
            if (route.isUserRoute()) {
                users.computeIfAbsent(route.matchUser() + "@" + route.matchDomain(), k -> new ArrayList<>()).add(entry);
            } else if (route.isPrefixRoute()) {
                boolean e164 = route.matchPrefix().startsWith("+");
                if (e164) {
                    planSet.add(route.plan());
                }
                String scope = route.matchDomain() == null ? "" : route.matchDomain();
                prefixes.computeIfAbsent(new PrefixKey(scope, e164 ? route.plan() : null, route.matchPrefix()),
                        k -> new ArrayList<>()).add(entry);
                lengths.set(route.matchPrefix().length());
            } else {
                domains.computeIfAbsent(route.matchDomain(), k -> new ArrayList<>()).add(entry);
            }
        }
        this.size = routes.size();
        this.byUserAtDomain = freeze(users);
        this.byDomain = freeze(domains);
        this.byPrefix = freeze(prefixes);
        this.plans = List.copyOf(planSet);
        this.prefixLengths = lengths;
    }

    /** @param defaultExpiresSeconds Contact expires for routes that do not set their own */
    public static RouteTable of(Collection<Route> routes, int defaultExpiresSeconds) {
        if (defaultExpiresSeconds < 0) {
            throw new IllegalArgumentException("defaultExpiresSeconds must be >= 0");
        }
        return new RouteTable(routes, defaultExpiresSeconds);
    }

    public static RouteTable empty() {
        return new RouteTable(List.of(), 0);
    }

    public int size() {
        return size;
    }

    public RouteDecision lookup(URI requestUri) {
        RequestTarget target = RequestTarget.of(requestUri);
        if (target == null) {
            return RouteDecision.unsupportedScheme();
        }
        if (target.user() != null && target.domain() != null) {
            List<Entry> routes = byUserAtDomain.get(target.user() + "@" + target.domain());
            if (routes != null) {
                return decide(routes, RouteDecision.MatchedBy.USER, target, requestUri);
            }
        }
        if (target.domain() != null) {
            List<Entry> routes = byDomain.get(target.domain());
            if (routes != null) {
                return decide(routes, RouteDecision.MatchedBy.DOMAIN, target, requestUri);
            }
        }
        if (target.dialled() != null && !byPrefix.isEmpty()) {
            PrefixMatch match = new PrefixMatch();
            if (!target.dialled().startsWith("+")) {
                probe(target.dialled(), null, target.domain(), match);
            }
            for (NumberPlan plan : plans) {
                String e164 = plan.toE164(target.dialled()).orElse(null);
                if (e164 != null) {
                    probe(e164, plan, target.domain(), match);
                }
            }
            if (!match.entries.isEmpty()) {
                return decide(match.entries, RouteDecision.MatchedBy.PREFIX, target, requestUri);
            }
        }
        return RouteDecision.notFound();
    }

    /** Finds the longest prefix of {@code number} under one plan and offers it to {@code match}. */
    private void probe(String number, NumberPlan plan, String domain, PrefixMatch match) {
        int from = Math.min(number.length(), prefixLengths.length() - 1);
        for (int len = from; len >= Math.max(match.length, 1); len--) {
            if (!prefixLengths.get(len)) {
                continue;
            }
            String prefix = number.substring(0, len);
            List<Entry> scoped = domain == null ? null : byPrefix.get(new PrefixKey(domain, plan, prefix));
            if (scoped != null) {
                match.offer(len, true, scoped);
                return;
            }
            List<Entry> global = byPrefix.get(new PrefixKey("", plan, prefix));
            if (global != null) {
                match.offer(len, false, global);
                return;
            }
        }
    }

    private static RouteDecision decide(List<Entry> entries, RouteDecision.MatchedBy matchedBy, RequestTarget target,
                                        URI requestUri) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(PREFERENCE);
        boolean permanent = true;
        String self = withoutParameters(requestUri.toString());
        List<Redirect> redirects = new ArrayList<>(sorted.size());
        for (Entry e : sorted) {
            String uri = e.route.target().withUser(contactUser(e.route, target));
            if (withoutParameters(uri).equalsIgnoreCase(self)) {
                continue; // RFC 3261 8.3: never redirect a request to its own Request-URI
            }
            permanent &= e.route.permanent();
            redirects.add(new Redirect(e.route.id(), uri, e.qText, e.route.weight(), e.expiresSeconds));
        }
        if (redirects.isEmpty()) {
            return new RouteDecision(RouteDecision.Outcome.LOOP_DETECTED, matchedBy, List.of());
        }
        return new RouteDecision(permanent ? RouteDecision.Outcome.MOVED_PERMANENTLY
                : RouteDecision.Outcome.MOVED_TEMPORARILY, matchedBy, redirects);
    }

    private static String withoutParameters(String uri) {
        int semicolon = uri.indexOf(';', uri.indexOf('@') + 1);
        return semicolon < 0 ? uri : uri.substring(0, semicolon);
    }

    private static String contactUser(Route route, RequestTarget target) {
        if (target.dialled() == null || route.numberFormat() == NumberFormat.AS_RECEIVED) {
            return target.user();
        }
        return route.plan().toE164(target.dialled())
                .map(e164 -> route.plan().format(e164, route.numberFormat()))
                .orElse(target.user());
    }

    /** q as RFC 3261 qvalue: at most three decimals, no trailing zeros. */
    static String qText(float q) {
        return new BigDecimal(Float.toString(q)).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static <K> Map<K, List<Entry>> freeze(Map<K, List<Entry>> map) {
        Map<K, List<Entry>> frozen = new HashMap<>(map.size() * 2);
        map.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return frozen;
    }

    private record Entry(Route route, String qText, int expiresSeconds) {
    }

    /** plan null: the prefix is compared with the digits as dialled. */
    private record PrefixKey(String scope, NumberPlan plan, String prefix) {
    }

    /** The best prefix match so far: longest, then domain-scoped; equals are merged. */
    private static final class PrefixMatch {
        int length;
        boolean scoped;
        final List<Entry> entries = new ArrayList<>();

        void offer(int len, boolean isScoped, List<Entry> candidates) {
            if (len > length || (len == length && isScoped && !scoped)) {
                length = len;
                scoped = isScoped;
                entries.clear();
                entries.addAll(candidates);
            } else if (len == length && isScoped == scoped) {
                entries.addAll(candidates);
            }
        }
    }
}
