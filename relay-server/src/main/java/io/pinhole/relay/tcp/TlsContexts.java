package io.pinhole.relay.tcp;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The TLS media port's server context: from PEM files, or a self-signed certificate made at start. */
public final class TlsContexts {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {
    }

    /**
     * @param certificate PEM certificate chain, or empty for a self-signed one
     * @param privateKey  its PEM PKCS#8 key (empty with an empty certificate)
     * @param commonName  the self-signed certificate's CN (the relay's advertised address)
     */
    public static SslContext server(String certificate, String privateKey, String commonName) {
        if (certificate.isEmpty()) {
            try {
                SelfSigned.KeyAndCertificate made = SelfSigned.create(commonName, Duration.ofDays(365));
                log.warn("pinhole.relay.tls-certificate is not set: the TLS media port uses a self-signed certificate"
                        + " made at start (CN={}, SHA-256 fingerprint {})", commonName,
                        fingerprint(made.certificate().getEncoded()));
                return SslContextBuilder.forServer(made.keys().getPrivate(), made.certificate()).build();
            } catch (GeneralSecurityException | SSLException e) {
                throw new IllegalStateException("could not make a self-signed certificate for the TLS media port", e);
            }
        }
        try {
            return SslContextBuilder.forServer(new File(certificate), new File(privateKey)).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("pinhole.relay.tls-certificate '" + certificate
                    + "' / tls-private-key '" + privateKey + "': " + e.getMessage()
                    + " (PEM certificate chain and PEM PKCS#8 key)", e);
        }
    }

    private static String fingerprint(byte[] der) throws GeneralSecurityException {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(der);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            sb.append(i == 0 ? "" : ":").append(String.format("%02X", d[i]));
        }
        return sb.toString();
    }
}
