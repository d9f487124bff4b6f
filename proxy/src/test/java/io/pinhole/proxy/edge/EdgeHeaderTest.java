package io.pinhole.proxy.edge;

import io.pinhole.proxy.media.MediaTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgeHeaderTest {

    private static final String ID = "0b0e8a52-6c1f-4c2e-9d7a-3f1b2c4d5e6f";

    @Test
    void readsWhatTheAgentSays() throws EdgeHeader.Invalid {
        assertThat(EdgeHeader.parse("media=tls;udp-out=no;udp-in=no;id=" + ID))
                .isEqualTo(new EdgeInfo(MediaTransport.TLS, false, false, ID));
        assertThat(EdgeHeader.parse(" media=HTTP ; udp-out=yes;udp-in=No; id=" + ID.toUpperCase() + ";future=1"))
                .isEqualTo(new EdgeInfo(MediaTransport.HTTP, true, false, ID));
    }

    /** An agent whose firewall lets UDP out but not in: its media goes up over UDP, comes down over TLS. */
    @Test
    void readsMediaGoingUpOverUdp() throws EdgeHeader.Invalid {
        EdgeInfo split = EdgeHeader.parse("media=tls;udp-out=yes;udp-in=no;id=" + ID + ";up=udp");
        assertThat(split.up()).isEqualTo(MediaTransport.UDP);
        assertThat(split.media()).isEqualTo(MediaTransport.TLS);
        assertThat(EdgeHeader.parse("media=tls;udp-out=yes;udp-in=no;id=" + ID).up())
                .as("--transport tls carries both ways, whatever UDP does").isEqualTo(MediaTransport.TLS);
        assertThat(EdgeHeader.parse("media=http;udp-out=yes;udp-in=no;id=" + ID + ";up=http").up())
                .isEqualTo(MediaTransport.HTTP);
    }

    /** value -> the 400's reason phrase. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            udp-out=no;udp-in=no;id=0b0e8a52-6c1f-4c2e-9d7a-3f1b2c4d5e6f               | Pinhole-Edge lacks media=
            media=sctp;udp-out=no;udp-in=no;id=0b0e8a52-6c1f-4c2e-9d7a-3f1b2c4d5e6f    | Pinhole-Edge media=sctp is none of udp, tcp, tls, http
            media=tls;udp-in=no;id=0b0e8a52-6c1f-4c2e-9d7a-3f1b2c4d5e6f                | Pinhole-Edge lacks udp-out=
            media=tls;udp-out=no;udp-in=maybe;id=0b0e8a52-6c1f-4c2e-9d7a-3f1b2c4d5e6f  | Pinhole-Edge udp-in=maybe is neither yes nor no
            media=tls;udp-out=no;udp-in=no                                             | Pinhole-Edge lacks id=
            media=tls;udp-out=no;udp-in=no;id=agent-1                                  | Pinhole-Edge id=agent-1 is no UUID
            media=tls;media=udp;udp-out=no;udp-in=no;id=0b0e8a52-6c1f-4c2e-9d7a-3f1b2c4d5e6f | Pinhole-Edge has media twice
            ''                                                                         | Pinhole-Edge lacks media=
            media=tls;udp-out=yes;udp-in=no;up=http;id=0b0e8a52-6c1f-4c2e-9d7a-3f1b2c4d5e6f | Pinhole-Edge up=http is neither udp nor media's tls
            media=tls;udp-out=no;udp-in=no;up=udp;id=0b0e8a52-6c1f-4c2e-9d7a-3f1b2c4d5e6f  | Pinhole-Edge up=udp contradicts udp-out=no
            """)
    void refusesWhatItCannotTake(String value, String reason) {
        assertThatThrownBy(() -> EdgeHeader.parse(value)).isInstanceOf(EdgeHeader.Invalid.class).hasMessage(reason);
    }
}
