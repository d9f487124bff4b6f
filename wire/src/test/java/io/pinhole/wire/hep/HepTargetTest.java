package io.pinhole.wire.hep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HepTargetTest {

    @Test
    void parsesTheCollectorForms() {
        assertThat(HepTarget.parse("10.0.0.5:9060", 1, null)).isEqualTo(new HepTarget("udp", "10.0.0.5", 9060, 1, null));
        assertThat(HepTarget.parse("tcp:homer.example:9061", 2, "k"))
                .isEqualTo(new HepTarget("tcp", "homer.example", 9061, 2, "k"));
        assertThat(HepTarget.parse("udp:[2001:db8::5]:9060", 0, "")).isEqualTo(new HepTarget("udp", "2001:db8::5", 9060, 0, null));
    }

    @Test
    void addressIsReadBackByParse() {
        HepTarget target = HepTarget.parse("tcp:[2001:db8::5]:9060", 3, "pw");
        assertThat(HepTarget.parse(target.address(), 3, "pw")).isEqualTo(target);
    }

    @Test
    void badCollectorsAreNamed() {
        assertThatThrownBy(() -> HepTarget.parse("homer", 0, null)).hasMessageContaining("is not [udp:|tcp:]host:port");
        assertThatThrownBy(() -> HepTarget.parse("homer:x", 0, null)).hasMessageContaining("no numeric port");
        assertThatThrownBy(() -> HepTarget.parse("sctp:homer:9060", 0, null)).hasMessageContaining("the transport is udp or tcp");
        assertThatThrownBy(() -> HepTarget.parse("homer:70000", 0, null)).hasMessageContaining("1-65535");
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(HepTarget.parse("h:1", 0, "secret-pw").toString()).doesNotContain("secret-pw").contains("password=set");
    }
}
