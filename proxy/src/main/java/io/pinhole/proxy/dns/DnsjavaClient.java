package io.pinhole.proxy.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@link Dns} over dnsjava: one question per query, sent asynchronously (dnsjava's NIO thread,
 * the answer handled on {@code executor}), answered from {@link DnsCache} while the TTL lasts.
 * Only this class sees dnsjava's types.
 */
public final class DnsjavaClient implements Dns {

    /** Negative answers without an SOA (RFC 2308 wants one) are kept this long, at most. */
    private static final long NEGATIVE_TTL_WITHOUT_SOA = 30;

    private final Resolver resolver;
    private final DnsCache cache;
    private final Executor executor;
    private final DnsMetrics metrics;

    public DnsjavaClient(Resolver resolver, DnsCache cache, Executor executor, DnsMetrics metrics) {
        this.resolver = resolver;
        this.cache = cache;
        this.executor = executor;
        this.metrics = metrics;
    }

    @Override
    public CompletableFuture<DnsAnswer> query(String name, RecordType type) {
        var cached = cache.get(name, type);
        if (cached.isPresent()) {
            metrics.cached(type);
            return CompletableFuture.completedFuture(cached.get());
        }
        Message question;
        try {
            question = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), code(type), DClass.IN));
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(new DnsAnswer.Failed("not a DNS name: " + name));
        }
        long sent = System.nanoTime();
        return resolver.sendAsync(question, executor).toCompletableFuture()
                .handle((response, error) -> {
                    DnsAnswer answer = error != null ? failed(name, type, error) : read(name, type, response);
                    metrics.answered(type, answer, System.nanoTime() - sent);
                    cache.put(name, type, answer);
                    return answer;
                });
    }

    private static DnsAnswer failed(String name, RecordType type, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String what = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new DnsAnswer.Failed("DNS query " + name + "/" + type + " failed: " + what);
    }

    /** A response read into records of the asked type, a negative answer, or a failure (a pure function). */
    static DnsAnswer read(String name, RecordType type, Message response) {
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new DnsAnswer.Missing(negativeTtl(response));
        }
        if (rcode != Rcode.NOERROR) {
            return new DnsAnswer.Failed("DNS query " + name + "/" + type + " failed: " + Rcode.string(rcode));
        }
        List<DnsRecord> records = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        // A CNAME chain comes before the records it leads to: any record of the asked type is the answer.
        for (Record record : response.getSection(Section.ANSWER)) {
            DnsRecord value = value(record);
            if (value != null && record.getType() == code(type)) {
                records.add(value);
                ttl = Math.min(ttl, record.getTTL());
            }
        }
        return records.isEmpty() ? new DnsAnswer.Missing(negativeTtl(response)) : new DnsAnswer.Found(records, ttl);
    }

    /** RFC 2308 §5: the SOA's own TTL or its MINIMUM field, whichever is smaller. */
    private static long negativeTtl(Message response) {
        for (Record record : response.getSection(Section.AUTHORITY)) {
            if (record instanceof SOARecord soa) {
                return Math.min(soa.getTTL(), soa.getMinimum());
            }
        }
        return NEGATIVE_TTL_WITHOUT_SOA;
    }

    private static DnsRecord value(Record record) {
        if (record instanceof NAPTRRecord naptr) {
            return new DnsRecord.Naptr(naptr.getOrder(), naptr.getPreference(), naptr.getFlags(), naptr.getService(),
                    host(naptr.getReplacement()));
        }
        if (record instanceof SRVRecord srv) {
            return new DnsRecord.Srv(srv.getPriority(), srv.getWeight(), srv.getPort(), host(srv.getTarget()));
        }
        if (record instanceof ARecord a) {
            return new DnsRecord.Address(a.getAddress());
        }
        if (record instanceof AAAARecord aaaa) {
            return new DnsRecord.Address(aaaa.getAddress());
        }
        return null;
    }

    /** A domain name without its trailing dot; the root (".") becomes "", RFC 2782's "no service". */
    private static String host(Name name) {
        String text = name.toString(true);
        return text.equals("@") || text.equals(".") ? "" : text.toLowerCase(Locale.ROOT);
    }

    private static int code(RecordType type) {
        return switch (type) {
            case NAPTR -> Type.NAPTR;
            case SRV -> Type.SRV;
            case A -> Type.A;
            case AAAA -> Type.AAAA;
        };
    }
}
