package io.pinhole.proxy.registrar;

import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.pinhole.testsupport.RawSip.headers;
import static io.pinhole.testsupport.RawSip.status;
import static org.assertj.core.api.Assertions.assertThat;

/** REGISTER over TLS on the configured TLS port with a keystore made for the test. */
class TlsRegisterIT {

    @TempDir
    Path dir;

    @Test
    void registersOverTls() throws Exception {
        Path keystore = dir.resolve("proxy.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "proxy", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "keystore-pass", "-keypass", "keystore-pass").inheritIO().start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        int tlsPort = FreePorts.udpAndTcp();

        try (ProxyInstance proxy = ProxyInstance.start(Map.of(
                "pinhole.sip.tls-port", tlsPort,
                "pinhole.sip.tls-keystore", keystore.toString(),
                "pinhole.sip.tls-keystore-password", "keystore-pass"));
             SSLSocket socket = (SSLSocket) trustingContext().getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
            proxy.addUser("t.example", "tina", "tinas-password");
            socket.setSoTimeout(5000);
            socket.startHandshake();
            RawRegister reg = new RawRegister("tina", "t.example", socket.getLocalPort());

            String challenge = exchange(socket, reg.request(reg.contact()).replace("SIP/2.0/UDP", "SIP/2.0/TLS"));
            String nonce = headers(challenge, "WWW-Authenticate").stream().map(RawRegister::challengeParams)
                    .filter(p -> "SHA-256".equals(p.get("algorithm"))).findFirst().orElseThrow().get("nonce");
            String ok = exchange(socket, reg.request(reg.contact()
                    + reg.authorization(DigestAlgorithm.SHA_256, "tinas-password", nonce, "00000001"))
                    .replace("SIP/2.0/UDP", "SIP/2.0/TLS"));

            assertThat(status(challenge)).isEqualTo(401);
            assertThat(status(ok)).as(ok).isEqualTo(200);
            assertThat(proxy.admin("GET", "/api/registrations?user=tina", null).body()).contains("\"transport\":\"TLS\"");
        }
    }

    private static String exchange(SSLSocket socket, String request) throws Exception {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        while (true) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IllegalStateException("connection closed after: " + head);
                }
                head.write(b);
            }
            String response = head.toString(StandardCharsets.UTF_8);
            if (!response.startsWith("SIP/2.0 1")) {
                return response;
            }
        }
    }

    private static SSLContext trustingContext() throws Exception {
        // The test's own self-signed certificate: trust it without a trust store.
        TrustManager trustAll = new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{trustAll}, null);
        return context;
    }
}
