package io.pinhole.redirect.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Orders Contacts of equal q by weight, as DNS SRV does (RFC 2782): a caller that takes them in
 * order spreads its calls over the targets in proportion to their weights. Contacts of weight 0
 * come last within their q. The random source is a parameter so the order is testable.
 */
public final class WeightedOrder {

    private WeightedOrder() {
    }

    /** {@code redirects} must already be sorted by q descending. */
    public static List<Redirect> arrange(List<Redirect> redirects, RandomGenerator random) {
        if (redirects.size() < 2) {
            return redirects;
        }
        List<Redirect> out = new ArrayList<>(redirects.size());
        int start = 0;
        while (start < redirects.size()) {
            int end = start + 1;
            while (end < redirects.size() && redirects.get(end).q().equals(redirects.get(start).q())) {
                end++;
            }
            shuffleGroup(redirects.subList(start, end), random, out);
            start = end;
        }
        return out;
    }

    private static void shuffleGroup(List<Redirect> group, RandomGenerator random, List<Redirect> out) {
        if (group.size() == 1) {
            out.add(group.get(0));
            return;
        }
        List<Redirect> weighted = new ArrayList<>(group.size());
        List<Redirect> unweighted = new ArrayList<>();
        long total = 0;
        for (Redirect r : group) {
            if (r.weight() > 0) {
                weighted.add(r);
                total += r.weight();
            } else {
                unweighted.add(r);
            }
        }
        while (!weighted.isEmpty()) {
            long pick = random.nextLong(total);
            int i = 0;
            while (pick >= weighted.get(i).weight()) {
                pick -= weighted.get(i).weight();
                i++;
            }
            Redirect chosen = weighted.remove(i);
            total -= chosen.weight();
            out.add(chosen);
        }
        out.addAll(unweighted);
    }
}
