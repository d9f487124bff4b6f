package io.pinhole.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

class SelfSignedTest {

    @Test
    void makesACertificateTheJdkParsesAndVerifies() throws Exception {
        SelfSigned.KeyAndCertificate made = SelfSigned.create("203.0.113.7", Duration.ofDays(365));
        X509Certificate c = made.certificate();
        c.verify(made.keys().getPublic()); // signed by its own key
        c.checkValidity(new Date());
        c.checkValidity(Date.from(Instant.now().plus(Duration.ofDays(364))));
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=203.0.113.7");
        assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
        assertThat(c.getVersion()).isEqualTo(3);
        assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(c.getPublicKey()).isEqualTo(made.keys().getPublic());
    }
}
