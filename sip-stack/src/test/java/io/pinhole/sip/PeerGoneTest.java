package io.pinhole.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.text.ParseException;
import javax.sip.SipException;
import org.junit.jupiter.api.Test;

class PeerGoneTest {

    @Test
    void aClosedSocketAnywhereInTheChainIsThePeerGoingAway() {
        assertThat(PeerGone.is(new SocketException("Socket is closed"))).isTrue();
        assertThat(PeerGone.is(new SipException("send failed", new SocketException("Connection reset")))).isTrue();
    }

    @Test
    void theRiWrapsTheTextWithoutTheCause() {
        assertThat(PeerGone.is(new SipException("Socket is closed"))).isTrue();
        assertThat(PeerGone.is(new SipException("java.io.IOException: Broken pipe"))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(PeerGone.is(new SipException("Transaction terminated"))).isFalse();
        assertThat(PeerGone.is(new IOException("No route to host"))).isFalse();
        assertThat(PeerGone.is(new ParseException("bad", 0))).isFalse();
        assertThat(PeerGone.is(null)).isFalse();
    }
}
