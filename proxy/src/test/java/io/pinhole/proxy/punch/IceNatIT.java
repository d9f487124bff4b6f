package io.pinhole.proxy.punch;

import static io.pinhole.proxy.support.netns.NatTopology.PUBLIC_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.proxy.support.netns.NatTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * baresip 1.0 with {@code medianat=ice} (full ICE, checks before any media) through the relay,
 * which the proxy has act as an ICE-lite agent (ICE=force): the relay's media address is the one
 * candidate each phone gets, its signed answers let the checks succeed, and the phones talk
 * through it. Between ICE phones and with a phone without ICE, either way round; a call with an
 * ICE phone stays relayed (no punching), on the same port-keeping NATs where {@link PunchNatIT} punches.
 * Each phone's recording of what it heard must hold the other's tone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(NatTopology.LOCK)
class IceNatIT extends PunchNatSupport {

    private static final String STUN = PUBLIC_ADDRESS + ":" + STUN_PORT;

    @BeforeAll
    void start() {
        setUp(NatTopology.Ports.KEEP, NatTopology.Ports.KEEP, 45300, 45399);
    }

    @AfterAll
    void stop() {
        tearDown();
    }

    @Test
    void twoIcePhonesHearEachOtherThroughTheRelay() throws Exception {
        requireBaresip();
        BaresipPunchCall.Outcome o = BaresipPunchCall.place(net, relay, proxy, DOMAIN, PASSWORD, this::registration,
                "ice", STUN, STUN);
        assertThat(o.aliceLog()).as(o.toString()).doesNotContain("ICE not supported by peer");
        assertThat(o.bobLog()).as(o.toString()).doesNotContain("ICE not supported by peer");
        assertRelayedTwoWayAudio("ice+ice", o);
    }

    @Test
    void anIcePhoneCallsAPhoneWithoutIce() throws Exception {
        requireBaresip();
        BaresipPunchCall.Outcome o = BaresipPunchCall.place(net, relay, proxy, DOMAIN, PASSWORD, this::registration,
                "icea", STUN, null);
        assertRelayedTwoWayAudio("ice caller", o);
    }

    @Test
    void aPhoneWithoutIceCallsAnIcePhone() throws Exception {
        requireBaresip();
        BaresipPunchCall.Outcome o = BaresipPunchCall.place(net, relay, proxy, DOMAIN, PASSWORD, this::registration,
                "iceb", null, STUN);
        assertRelayedTwoWayAudio("ice callee", o);
    }

    private static void assertRelayedTwoWayAudio(String what, BaresipPunchCall.Outcome o) {
        MediaTimeline.Sample aliceFirst = o.timeline().firstGrowth(o.rounds(), BaresipPunchCall.ALICE_HEARD, 1);
        MediaTimeline.Sample bobFirst = o.timeline().firstGrowth(o.rounds(), BaresipPunchCall.BOB_HEARD, 1);
        assertThat(aliceFirst).as("alice hears something\n" + o).isNotNull();
        assertThat(bobFirst).as("bob hears something\n" + o).isNotNull();
        String figures = String.format("%s: first audio at alice %d ms, at bob %d ms after the answer (rounds of %d ms);"
                        + " heard alice %d, bob %d; relay packets %s",
                what, aliceFirst.millis() - o.answeredAt(), bobFirst.millis() - o.answeredAt(), MediaTimeline.PERIOD_MS,
                o.since(o.last(), BaresipPunchCall.ALICE_HEARD), o.since(o.last(), BaresipPunchCall.BOB_HEARD),
                o.cdr().get("packets"));
        System.out.println("baresip ice figures: " + figures);
        // the call stayed on the relay: (almost) nothing went straight between the two NATs
        assertThat(o.since(o.last(), BaresipPunchCall.NAT1_TO_NAT2) + o.since(o.last(), BaresipPunchCall.NAT2_TO_NAT1))
                .as(figures + "\n" + o).isLessThan(10);
        assertThat(((Number) o.cdr().get("packets")).longValue()).as(figures + "\n" + o)
                .isGreaterThan(2L * BaresipPunchCall.TALK_SECONDS * 50 * 7 / 10);
        for (String heard : new String[] {BaresipPunchCall.ALICE_HEARD, BaresipPunchCall.BOB_HEARD}) {
            assertThat(o.since(o.last(), heard) - o.since(o.answered(), heard)).as(heard + ": " + figures + "\n" + o)
                    .isGreaterThanOrEqualTo(BaresipPunchCall.TALK_SECONDS * 50L * 7 / 10);
        }
        assertHears("alice", o.aliceHeard(), BaresipPunchCall.BOB_HZ, o);
        assertHears("bob", o.bobHeard(), BaresipPunchCall.ALICE_HZ, o);
    }

    private static void assertHears(String who, double[] audio, int other, BaresipPunchCall.Outcome o) {
        int seconds = audio.length / io.pinhole.proxy.conference.Tones.RATE;
        double heard = BaresipPunchCall.medianShare(audio, seconds - 5, seconds - 1, other);
        String what = String.format("%s hears %d Hz %.2f in seconds %d-%d of %d", who, other, heard, seconds - 5,
                seconds - 1, seconds);
        System.out.println("baresip ice audio: " + what);
        assertThat(heard).as(what + "\n" + o).isGreaterThan(0.5);
    }
}
