package io.pinhole.relay.tcp;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed X.509 certificate (EC P-256, ECDSA with SHA-256) made in memory, for a TLS media
 * port with no certificate configured. BouncyCastle's PKIX builder writes it: the JDK has no
 * public certificate builder. Keys and signature come from the JDK's own providers.
 *
 * <p>Clients cannot verify such a certificate against anything: it gives privacy against a
 * passive observer and a TLS look to firewalls, which is what the TLS port is for; the call token
 * authenticates the client. Configure a real certificate where clients should verify the relay.
 */
final class SelfSigned {

    record KeyAndCertificate(KeyPair keys, X509Certificate certificate) {
    }

    private SelfSigned() {
    }

    static KeyAndCertificate create(String commonName, Duration validity) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        // CN as an attribute value, so an IP address or any host name is taken as it is
        X500Principal name = new X500Principal("CN=" + commonName.replaceAll("([,+\"\\\\<>;=#])", "\\\\$1"));
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(validity)), name, keys.getPublic());
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            return new KeyAndCertificate(keys, new JcaX509CertificateConverter().getCertificate(builder.build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("no SHA256withECDSA signer", e);
        }
    }
}
