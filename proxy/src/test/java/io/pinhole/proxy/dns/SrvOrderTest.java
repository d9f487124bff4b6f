package io.pinhole.proxy.dns;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SrvOrderTest {

    private static DnsRecord.Srv srv(int priority, int weight, String target) {
        return new DnsRecord.Srv(priority, weight, 5060, target);
    }

    @Test
    void lowerPriorityAlwaysFirst() {
        List<DnsRecord.Srv> records = List.of(srv(20, 100, "c"), srv(10, 0, "a"), srv(30, 5, "d"), srv(20, 1, "b"));
        for (long seed = 0; seed < 200; seed++) {
            List<DnsRecord.Srv> ordered = SrvOrder.order(records, new Random(seed));
            assertThat(ordered).extracting(DnsRecord.Srv::priority).containsExactly(10, 20, 20, 30);
            assertThat(ordered).containsExactlyInAnyOrderElementsOf(records);
        }
    }

    @Test
    void weightsShareTheFirstPlaceWithinAPriority() {
        List<DnsRecord.Srv> records = List.of(srv(10, 60, "big"), srv(10, 30, "mid"), srv(10, 10, "small"));
        Map<String, Integer> first = new HashMap<>();
        Random random = new Random(42);
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            first.merge(SrvOrder.order(records, random).get(0).target(), 1, Integer::sum);
        }
        // RFC 2782 draws from 0..sum inclusive: the first record's share is (w+1)/(sum+1)
        assertThat(first.get("big") / (double) draws).isCloseTo(61.0 / 101, within(0.02));
        assertThat(first.get("mid") / (double) draws).isCloseTo(30.0 / 101, within(0.02));
        assertThat(first.get("small") / (double) draws).isCloseTo(10.0 / 101, within(0.02));
    }

    @Test
    void weightZeroComesLastUnlessTheDrawIsZero() {
        List<DnsRecord.Srv> records = List.of(srv(10, 10, "weighted"), srv(10, 0, "zero"));
        assertThat(SrvOrder.order(records, fixed(10))).extracting(DnsRecord.Srv::target).containsExactly("weighted", "zero");
        assertThat(SrvOrder.order(records, fixed(0))).extracting(DnsRecord.Srv::target).containsExactly("zero", "weighted");
    }

    @Test
    void allWeightsZeroKeepsEveryRecord() {
        List<DnsRecord.Srv> records = List.of(srv(1, 0, "a"), srv(1, 0, "b"), srv(1, 0, "c"));
        assertThat(SrvOrder.order(records, new Random(1))).containsExactlyInAnyOrderElementsOf(records);
    }

    @Test
    void emptyStaysEmpty() {
        assertThat(SrvOrder.order(List.of(), new Random(1))).isEmpty();
    }

    /** A random source whose every draw is {@code value} (capped below the bound). */
    private static RandomGenerator fixed(int value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return value;
            }

            @Override
            public int nextInt(int bound) {
                return Math.min(value, bound - 1);
            }
        };
    }
}
