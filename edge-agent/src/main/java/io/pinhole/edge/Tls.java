package io.pinhole.edge;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The agent's TLS trust for the proxy and the relay: the certificates of {@code --trust} (PEM,
 * several allowed) or the JVM's default trust store. With a trust file the chain must end in one of
 * its certificates and the host name is not checked (proxies and relays are often reached by
 * address, and the file pins them); with the default store the host name is checked too.
 */
final class Tls {

    private final TrustManagerFactory trust;
    private final boolean checkHostName;

    Tls(Path trustFile) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trustFile == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                Collection<? extends Certificate> certs;
                try (InputStream in = Files.newInputStream(trustFile)) {
                    certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
                }
                if (certs.isEmpty()) {
                    throw new IllegalArgumentException("--trust " + trustFile + " holds no PEM certificate");
                }
                int i = 0;
                for (Certificate c : certs) {
                    store.setCertificateEntry("trusted-" + i++, c);
                }
                tmf.init(store);
            }
            this.trust = tmf;
            this.checkHostName = trustFile == null;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--trust " + trustFile + " cannot be read: " + e.getMessage(), e);
        }
    }

    SslContext netty() {
        try {
            return SslContextBuilder.forClient().trustManager(trust)
                    .endpointIdentificationAlgorithm(checkHostName ? "HTTPS" : null).build();
        } catch (IOException e) {
            throw new IllegalStateException("TLS client context: " + e.getMessage(), e);
        }
    }

    SSLContext jdk() {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, trust.getTrustManagers(), null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS client context: " + e.getMessage(), e);
        }
    }
}
