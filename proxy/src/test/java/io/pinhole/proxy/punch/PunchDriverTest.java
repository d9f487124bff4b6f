package io.pinhole.proxy.punch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pinhole.proxy.call.Side;
import io.pinhole.proxy.media.PunchingProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver's steps against a scripted call and relay (no sockets): the relay's counts grow while
 * a phone sends to it, and each phone answers our re-INVITEs as told.
 */
class PunchDriverTest {

    private static final String CALLER_SDP = "v=0\r\no=- 5 3 IN IP4 203.0.113.1\r\ns=-\r\nc=IN IP4 203.0.113.1\r\n"
            + "t=0 0\r\nm=audio 45000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
    private static final String CALLEE_SDP = "v=0\r\no=- 6 1 IN IP4 203.0.113.1\r\ns=-\r\nc=IN IP4 203.0.113.1\r\n"
            + "t=0 0\r\nm=audio 45002 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PunchDriver driver = new PunchDriver(new PunchingProperties(true, List.of(), Duration.ofMillis(500),
            Duration.ofMillis(400), Duration.ofMillis(20)), Clock.systemUTC(), meters);

    @AfterEach
    void stop() throws InterruptedException {
        driver.close();
    }

    /** A phone: sends to the relay until it accepts a direct SDP (unless stubborn), answers re-INVITEs with {@code status}. */
    private static final class Phone {
        final AtomicLong packets = new AtomicLong();
        final List<String> offers = new CopyOnWriteArrayList<>();
        volatile boolean latched = true;
        volatile boolean onRelay = true;
        volatile boolean stubborn;
        volatile int status = 200;
        /** How long it takes to answer a re-INVITE. */
        volatile long answerMillis;
        /** Sends RTCP (to the relay, always: the direct SDP keeps it there), counted in {@code packets}. */
        volatile boolean rtcp;
        /** Direct media from the other phone does not reach it (a filter between the NATs). */
        volatile boolean deaf;
        final AtomicLong rtcpPackets = new AtomicLong();
        /** Its RTP sequence number, and the last the relay got from it. */
        volatile int seq = 1000;
        volatile int seqAtRelay = -1;
        /** The highest sequence number it received from the other phone, -1 before any. */
        volatile int heard = -1;

        void tick() {
            seq += 5;
            if (onRelay && latched) {
                packets.addAndGet(5);
                seqAtRelay = seq;
            }
            if (rtcp && latched) {
                packets.incrementAndGet();
                rtcpPackets.incrementAndGet();
            }
        }

        /** It hears the other's packets through the relay, or direct unless deaf. */
        void hear(Phone other) {
            if (other.onRelay ? other.seqAtRelay >= 0 : !deaf) {
                heard = other.onRelay ? other.seqAtRelay : other.seq;
            }
        }

        int offered(String sdp) {
            offers.add(sdp);
            if (status == 200 && !stubborn) {
                onRelay = sdp.contains("c=IN IP4 203.0.113.1\r\n");
            }
            return status;
        }
    }

    private static final class Scripted implements PunchCall {
        final Phone caller = new Phone();
        final Phone callee = new Phone();
        volatile Instant direct;
        volatile String relayed;
        final AtomicLong queries = new AtomicLong();
        /** How many queries had been answered when each re-INVITE went out, in order. */
        final List<Long> queriesAtReInvite = new CopyOnWriteArrayList<>();
        /** Per re-INVITE, in order: "once" (sent once, a 491 final) or "retried" (a 491 tried again, RFC 3261 14.1). */
        final List<String> glare = new CopyOnWriteArrayList<>();

        @Override
        public String callId() {
            return "punch-test";
        }

        @Override
        public CompletableFuture<Map<String, Object>> query() {
            queries.incrementAndGet();
            caller.tick();
            callee.tick();
            caller.hear(callee);
            callee.hear(caller);
            return CompletableFuture.completedFuture(Map.of("result", "ok", "tags", Map.of(
                    "a", side(caller, callee, 1, "203.0.113.11", 40000), "b", side(callee, caller, 2, "203.0.113.12", 40002))));
        }

        private static Map<String, Object> side(Phone phone, Phone other, long ssrc, String address, long port) {
            Map<String, Object> rtcp = phone.rtcp && phone.heard >= 0 ? Map.of("packets", phone.rtcpPackets.get(),
                    "report", Map.of("age ms", 0L, "blocks", List.of(Map.of("ssrc", 3 - ssrc, "highest seq",
                            (long) phone.heard, "lost", 0L)))) : Map.of("packets", phone.rtcpPackets.get());
            return Map.of("medias", List.of(Map.of("streams", List.of(Map.of(
                    "endpoint", Map.of("address", address, "port", port), "latched", phone.latched ? 1L : 0L,
                    "stats", Map.of("packets", phone.packets.get()), "rtcp", rtcp,
                    "last rtp", phone.seqAtRelay < 0 ? Map.of() : Map.of("ssrc", ssrc, "seq", (long) phone.seqAtRelay))))));
        }

        @Override
        public String relayTag(Side side) {
            return side == Side.CALLER ? "a" : "b";
        }

        @Override
        public String sdpSentTo(Side side) {
            return side == Side.CALLER ? CALLER_SDP : CALLEE_SDP;
        }

        @Override
        public CompletableFuture<Integer> reInvite(Side side, String sdp) {
            glare.add("retried");
            return answer(side, sdp);
        }

        @Override
        public CompletableFuture<Integer> reInviteOnce(Side side, String sdp) {
            glare.add("once");
            return answer(side, sdp);
        }

        private CompletableFuture<Integer> answer(Side side, String sdp) {
            queriesAtReInvite.add(queries.get());
            Phone phone = side == Side.CALLER ? caller : callee;
            return CompletableFuture.supplyAsync(() -> phone.offered(sdp),
                    CompletableFuture.delayedExecutor(phone.answerMillis, TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean over() {
            return false;
        }

        @Override
        public void wentDirect(Instant at) {
            direct = at;
        }

        @Override
        public void relayed(String why) {
            relayed = why;
        }
    }

    private double outcomes(String outcome) {
        var counter = meters.find("pinhole.punch.attempts").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void movesBothPhonesToEachOthersPublicAddressAndConfirmsDirect() {
        Scripted call = new Scripted();

        driver.start(call);

        eventually(Duration.ofSeconds(5), () -> call.direct != null, "judged direct");
        assertThat(call.caller.offers).containsExactly(CALLER_SDP.replace("o=- 5 3 IN IP4 203.0.113.1", "o=- 5 4 IN IP4 203.0.113.12")
                .replace("c=IN IP4 203.0.113.1\r\n", "c=IN IP4 203.0.113.12\r\n").replace("45000", "40002")
                + "a=rtcp:45001 IN IP4 203.0.113.1\r\n");
        assertThat(call.callee.offers).singleElement().asString().contains("o=- 6 2 IN IP4 203.0.113.11",
                "c=IN IP4 203.0.113.11", "m=audio 40000 RTP/AVP 8", "a=rtpmap:8 PCMA/8000");
        assertThat(call.relayed).isNull();
        assertThat(outcomes("direct")).isEqualTo(1);
    }

    private double proofs(String evidence) {
        var counter = meters.find("pinhole.punch.proofs").tag("evidence", evidence).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void phonesWhoseReceiverReportsShowTheOthersPacketsAreConfirmedDirectByRtcp() {
        Scripted call = new Scripted();
        call.caller.rtcp = true;
        call.callee.rtcp = true;

        driver.start(call);

        eventually(Duration.ofSeconds(5), () -> proofs("rtcp") == 1, "proven by RTCP");
        assertThat(call.direct).isNotNull();
        assertThat(call.relayed).as("their RTCP to the relay is not media left on it").isNull();
        assertThat(call.caller.offers).hasSize(1);
    }

    @Test
    void aPhoneWhoseReceiverReportsShowNothingArrivingBringsTheCallBack() {
        Scripted call = new Scripted();
        call.caller.rtcp = true;
        call.callee.rtcp = true;
        call.callee.deaf = true;

        driver.start(call);

        eventually(Duration.ofSeconds(5), () -> call.relayed != null, "fell back");
        eventually(Duration.ofSeconds(5), () -> call.caller.offers.size() == 2 && call.callee.offers.size() == 2,
                "both moved back");
        assertThat(call.relayed).isEqualTo("fell back: RTCP receiver reports: the callee hears no direct media (nothing "
                + "beyond what the relay forwarded before the move)");
        assertThat(call.caller.onRelay).isTrue();
        assertThat(call.callee.onRelay).isTrue();
        assertThat(proofs("no-arrival")).isEqualTo(1);
    }

    @Test
    void aPhoneThatKeepsSendingToTheRelayBringsBothBackWithinTheBound() {
        Scripted call = new Scripted();
        call.callee.stubborn = true;

        driver.start(call);

        eventually(Duration.ofSeconds(5), () -> call.relayed != null, "fell back");
        eventually(Duration.ofSeconds(5), () -> call.caller.offers.size() == 2 && call.callee.offers.size() == 2,
                "both moved back");
        assertThat(call.relayed).startsWith("fell back: the callee still sends to the relay");
        assertThat(call.direct).isNull();
        assertThat(call.caller.offers.get(1)).isEqualTo(CALLER_SDP.replace("o=- 5 3 ", "o=- 5 5 "));
        assertThat(call.callee.offers.get(1)).isEqualTo(CALLEE_SDP.replace("o=- 6 1 ", "o=- 6 3 "));
        assertThat(call.caller.onRelay).isTrue();
        // decided on the second poll after the move (the first is the baseline), not at the window's end
        assertThat(call.queriesAtReInvite.get(2) - call.queriesAtReInvite.get(0)).as(call.queriesAtReInvite.toString())
                .isEqualTo(2);
        assertThat(outcomes("fallback")).isEqualTo(1);
    }

    @Test
    void aPhoneThatRefusesTheMoveStaysRelayedAndTheOtherIsMovedBack() {
        Scripted call = new Scripted();
        call.callee.status = 488;

        driver.start(call);

        eventually(Duration.ofSeconds(5), () -> call.caller.offers.size() == 2, "caller moved back");
        assertThat(call.relayed).isEqualTo("callee answered the move 488");
        assertThat(call.callee.offers).hasSize(1);
        assertThat(call.caller.onRelay).isTrue();
        assertThat(call.caller.offers.get(1)).contains("o=- 5 5 ", "c=IN IP4 203.0.113.1\r\n", "m=audio 45000 ");
        assertThat(outcomes("refused")).isEqualTo(1);
    }

    @Test
    void aPhoneThatAnswersTheMove491IsNotAskedAgainAndTheCallStaysRelayed() {
        // 491: the callee has a re-INVITE of its own open. Asked again after RFC 3261 14.1's wait
        // (2.1-4 s on the callee's leg, past the bound), it would get the old direct SDP after its
        // own renegotiation; so the move goes once, and only the ways back are tried again.
        Scripted call = new Scripted();
        call.callee.status = 491;

        driver.start(call);

        eventually(Duration.ofSeconds(5), () -> call.caller.offers.size() == 2, "caller moved back");
        assertThat(call.relayed).isEqualTo("callee answered the move 491");
        assertThat(call.glare).containsExactly("once", "once", "retried");
        assertThat(call.callee.offers).hasSize(1);
        assertThat(call.caller.onRelay).isTrue();
        assertThat(outcomes("refused")).isEqualTo(1);
    }

    @Test
    void aPhoneThatTakesTheMoveAfterTheBoundIsMovedBackWhenItsAnswerComes() {
        Scripted call = new Scripted();
        call.callee.answerMillis = 700; // the bound (verify-within) is 400 ms

        driver.start(call);

        eventually(Duration.ofSeconds(5), () -> call.callee.offers.size() == 2, "callee moved back after its late 200");
        assertThat(call.relayed).isEqualTo("callee answered the move not at all in time");
        assertThat(call.caller.offers).hasSize(2);
        assertThat(call.callee.offers.get(1)).contains("c=IN IP4 203.0.113.1\r\n", "m=audio 45002 ");
        eventually(Duration.ofSeconds(5), () -> call.callee.onRelay && call.caller.onRelay, "both on the relay");
        assertThat(outcomes("refused")).isEqualTo(1);
    }

    @Test
    void aCallTheRelayNeverLatchesStaysRelayed() {
        Scripted call = new Scripted();
        call.callee.latched = false;

        driver.start(call);

        eventually(Duration.ofSeconds(5), () -> call.relayed != null, "gave up");
        assertThat(call.relayed).isEqualTo("not latched within 500 ms (waiting for the relay to latch the callee)");
        assertThat(call.caller.offers).isEmpty();
        assertThat(outcomes("not-latched")).isEqualTo(1);
    }
}
