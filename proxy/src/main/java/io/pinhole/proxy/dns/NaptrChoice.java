package io.pinhole.proxy.dns;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which NAPTR records of a SIP domain are usable (RFC 3263 §4.1, RFC 3403): terminal "S"
 * records whose service is one we speak (SIP+D2U, SIP+D2T, SIPS+D2T; only SIPS+D2T for a
 * {@code sips:} URI), lowest order, then lowest preference, first. A pure function.
 */
public final class NaptrChoice {

    private static final Map<String, String> TRANSPORTS = Map.of("SIP+D2U", "UDP", "SIP+D2T", "TCP", "SIPS+D2T", "TLS");

    private NaptrChoice() {
    }

    public static List<Rfc3263.SrvName> usable(List<DnsRecord.Naptr> records, boolean secure, Set<String> transports) {
        return records.stream()
                .filter(n -> "s".equalsIgnoreCase(n.flags()) && !n.replacement().isEmpty())
                .filter(n -> TRANSPORTS.containsKey(n.service().toUpperCase(Locale.ROOT)))
                .filter(n -> transports.contains(transport(n)))
                .filter(n -> !secure || "TLS".equals(transport(n)))
                .sorted(Comparator.comparingInt(DnsRecord.Naptr::order).thenComparingInt(DnsRecord.Naptr::preference))
                .map(n -> new Rfc3263.SrvName(n.replacement(), transport(n)))
                .toList();
    }

    private static String transport(DnsRecord.Naptr naptr) {
        return TRANSPORTS.get(naptr.service().toUpperCase(Locale.ROOT));
    }
}
