package io.pinhole.edge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;

/** Free ports for a test's own servers (bound and released: good enough on one machine). */
final class Ports {

    private Ports() {
    }

    static int freeUdp() {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freeTcp() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free for both TCP and UDP. */
    static int freeBoth() {
        for (int i = 0; i < 50; i++) {
            int p = freeTcp();
            try (DatagramSocket s = new DatagramSocket(p)) {
                return p;
            } catch (IOException taken) {
                // next
            }
        }
        throw new IllegalStateException("no port free for TCP and UDP");
    }
}
