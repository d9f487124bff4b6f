package io.pinhole.proxy.dns;

import io.pinhole.proxy.sip.Flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * RFC 3263 §4 carried out: a SIP target becomes the hops to try, through NAPTR, SRV and A/AAAA
 * look-ups as {@link Rfc3263#plan} decides. Never blocks: every step is a future of {@link Dns},
 * and the whole resolution is bounded by {@code bound}, past which the target is unresolved.
 */
public final class SipResolver {

    /** Hops found by one step, or (empty) why there are none. */
    private record Step(List<Flow> hops, String why) {
        static Step none(String why) {
            return new Step(List.of(), why);
        }
    }

    private final Dns dns;
    private final Set<String> transports;
    private final RandomGenerator random;
    private final Duration bound;
    private final DnsMetrics metrics;

    /**
     * @param transports the transports this proxy sends with (upper case: UDP, TCP, TLS)
     * @param random     for the weighted SRV draw
     */
    public SipResolver(Dns dns, Set<String> transports, RandomGenerator random, Duration bound, DnsMetrics metrics) {
        this.dns = dns;
        this.transports = Set.copyOf(transports);
        this.random = random;
        this.bound = bound;
        this.metrics = metrics;
    }

    public CompletableFuture<Resolution> resolve(SipTarget target) {
        Rfc3263.Plan plan = Rfc3263.plan(target, transports);
        CompletableFuture<Step> step;
        if (plan instanceof Rfc3263.Literal literal) {
            step = CompletableFuture.completedFuture(
                    new Step(List.of(new Flow(literal.address(), literal.port(), literal.transport())), null));
        } else if (plan instanceof Rfc3263.Unusable unusable) {
            step = CompletableFuture.completedFuture(Step.none(unusable.why()));
        } else if (plan instanceof Rfc3263.Addresses addresses) {
            step = addresses(addresses.host(), addresses.port(), addresses.transport());
        } else if (plan instanceof Rfc3263.Srv srv) {
            step = srvThenAddresses(srv.host(), List.of(Rfc3263.srvName(srv.host(), srv.transport())), srv.transport());
        } else {
            Rfc3263.Naptr naptr = (Rfc3263.Naptr) plan;
            step = naptr(naptr.host(), naptr.secure());
        }
        String host = target.host();
        return step.<Resolution>thenApply(s -> s.hops().isEmpty() ? new Resolution.Unresolved(host, s.why())
                        : new Resolution.Hops(s.hops().stream().distinct().toList()))
                .completeOnTimeout(new Resolution.Unresolved(host, "DNS resolution of " + host + " took longer than "
                        + bound.toMillis() + " ms"), bound.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((resolution, error) -> {
                    if (resolution != null) {
                        metrics.resolution(resolution);
                    }
                });
    }

    /** §4.1: NAPTR records we can use, else SRV for each transport we have, else A/AAAA. */
    private CompletableFuture<Step> naptr(String host, boolean secure) {
        return dns.query(host, RecordType.NAPTR).thenCompose(answer -> {
            List<Rfc3263.SrvName> chosen = answer instanceof DnsAnswer.Found found
                    ? NaptrChoice.usable(records(found, DnsRecord.Naptr.class), secure, transports) : List.of();
            String naptrFailure = answer instanceof DnsAnswer.Failed failed ? failed.why() : null;
            CompletableFuture<Step> viaNaptr = chosen.isEmpty()
                    ? CompletableFuture.completedFuture(Step.none(null)) : srvList(chosen, 0, null);
            return viaNaptr.thenCompose(step -> !step.hops().isEmpty() ? CompletableFuture.completedFuture(step)
                    : srvThenAddresses(host, Rfc3263.srvFallbacks(host, secure, transports),
                    Rfc3263.defaultTransport(secure)).thenApply(last -> !last.hops().isEmpty() ? last
                    : Step.none(firstNonNull(naptrFailure, failure(step.why()), failure(last.why()),
                    "no NAPTR, SRV or A/AAAA records for " + host))));
        });
    }

    /** SRV names in order (the first with reachable targets wins), else A/AAAA at the transport's default port. */
    private CompletableFuture<Step> srvThenAddresses(String host, List<Rfc3263.SrvName> names, String transport) {
        return srvList(names, 0, null).thenCompose(step -> {
            if (!step.hops().isEmpty()) {
                return CompletableFuture.completedFuture(step);
            }
            if (!transports.contains(transport)) {
                return CompletableFuture.completedFuture(Step.none(firstNonNull(step.why(),
                        "no SRV records for " + host + " and transport " + transport + " is not enabled here")));
            }
            return addresses(host, Rfc3263.defaultPort(transport), transport).thenApply(last -> !last.hops().isEmpty()
                    ? last : Step.none(firstNonNull(failure(step.why()), failure(last.why()),
                    "no SRV or A/AAAA records for " + host)));
        });
    }

    private CompletableFuture<Step> srvList(List<Rfc3263.SrvName> names, int index, String why) {
        if (index >= names.size()) {
            return CompletableFuture.completedFuture(Step.none(why));
        }
        Rfc3263.SrvName name = names.get(index);
        return dns.query(name.name(), RecordType.SRV).thenCompose(answer -> {
            if (answer instanceof DnsAnswer.Found found) {
                return srvTargets(name, records(found, DnsRecord.Srv.class)).thenCompose(step -> step.hops().isEmpty()
                        ? srvList(names, index + 1, firstNonNull(why, step.why())) : CompletableFuture.completedFuture(step));
            }
            String failure = answer instanceof DnsAnswer.Failed failed ? failed.why() : null;
            return srvList(names, index + 1, firstNonNull(why, failure));
        });
    }

    /** The SRV targets in RFC 2782 order, each target's addresses in turn. */
    private CompletableFuture<Step> srvTargets(Rfc3263.SrvName name, List<DnsRecord.Srv> records) {
        List<DnsRecord.Srv> usable = records.stream().filter(r -> !r.target().isEmpty()).toList();
        if (usable.isEmpty()) {
            return CompletableFuture.completedFuture(Step.none("DNS SRV " + name.name() + " says there is no such service"));
        }
        List<CompletableFuture<Step>> each = SrvOrder.order(usable, random).stream()
                .map(srv -> addresses(srv.target(), srv.port(), name.transport())).toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Flow> hops = new ArrayList<>();
            String why = null;
            for (CompletableFuture<Step> step : each) {
                hops.addAll(step.join().hops());
                why = firstNonNull(why, step.join().why());
            }
            return hops.isEmpty() ? Step.none(why) : new Step(hops, null);
        });
    }

    /** A then AAAA records of {@code host}, asked together; IPv4 first. */
    private CompletableFuture<Step> addresses(String host, int port, String transport) {
        CompletableFuture<DnsAnswer> v4 = dns.query(host, RecordType.A);
        CompletableFuture<DnsAnswer> v6 = dns.query(host, RecordType.AAAA);
        return v4.thenCombine(v6, (a, aaaa) -> {
            List<Flow> hops = new ArrayList<>();
            for (DnsAnswer answer : List.of(a, aaaa)) {
                if (answer instanceof DnsAnswer.Found found) {
                    records(found, DnsRecord.Address.class).forEach(r -> hops.add(
                            new Flow(r.address().getHostAddress(), port, transport)));
                }
            }
            if (!hops.isEmpty()) {
                return new Step(hops, null);
            }
            String failure = a instanceof DnsAnswer.Failed failed ? failed.why()
                    : aaaa instanceof DnsAnswer.Failed failed ? failed.why() : null;
            return Step.none(failure != null ? failure : "no A/AAAA records for " + host);
        });
    }

    /** {@code why} when it tells of a failed query (not merely of records that do not exist), else null. */
    private static String failure(String why) {
        return why != null && why.startsWith("DNS ") ? why : null;
    }

    private static <T extends DnsRecord> List<T> records(DnsAnswer.Found found, Class<T> type) {
        return found.records().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
