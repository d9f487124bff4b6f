package io.pinhole.proxy.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The order in which SRV targets are tried (RFC 2782): lowest priority first; within one
 * priority, a weighted random draw without replacement, so a target of weight 0 comes after
 * the weighted ones and gets picked first only when all are weight 0. A pure function of the
 * records and the random source.
 */
public final class SrvOrder {

    private SrvOrder() {
    }

    public static List<DnsRecord.Srv> order(List<DnsRecord.Srv> records, RandomGenerator random) {
        TreeMap<Integer, List<DnsRecord.Srv>> byPriority = new TreeMap<>();
        for (DnsRecord.Srv srv : records) {
            byPriority.computeIfAbsent(srv.priority(), p -> new ArrayList<>()).add(srv);
        }
        List<DnsRecord.Srv> ordered = new ArrayList<>(records.size());
        for (List<DnsRecord.Srv> group : byPriority.values()) {
            // RFC 2782: weight-0 records first in the list, so they are drawn only by a sum of 0.
            List<DnsRecord.Srv> left = new ArrayList<>(group);
            left.sort(Comparator.comparingInt(s -> s.weight() == 0 ? 0 : 1));
            while (!left.isEmpty()) {
                int total = left.stream().mapToInt(DnsRecord.Srv::weight).sum();
                int draw = total == 0 ? 0 : random.nextInt(total + 1);
                int running = 0;
                int pick = left.size() - 1;
                for (int i = 0; i < left.size(); i++) {
                    running += left.get(i).weight();
                    if (running >= draw) {
                        pick = i;
                        break;
                    }
                }
                ordered.add(left.remove(pick));
            }
        }
        return ordered;
    }
}
