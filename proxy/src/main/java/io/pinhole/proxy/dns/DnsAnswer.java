package io.pinhole.proxy.dns;

import java.util.List;

/** What one DNS question got: records, a name or type that does not exist, or no usable answer. */
public sealed interface DnsAnswer {

    /** Records of the asked type, valid for {@code ttlSeconds} (the smallest TTL among them). */
    record Found(List<DnsRecord> records, long ttlSeconds) implements DnsAnswer {
        public Found {
            records = List.copyOf(records);
        }
    }

    /** NXDOMAIN or no records of the type (RFC 2308 negative answer), valid for {@code ttlSeconds}. */
    record Missing(long ttlSeconds) implements DnsAnswer {
    }

    /** A timeout, SERVFAIL, REFUSED and the like: nothing is learnt, nothing is cached. */
    record Failed(String why) implements DnsAnswer {
    }
}
