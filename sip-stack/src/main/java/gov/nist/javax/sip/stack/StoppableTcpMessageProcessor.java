package gov.nist.javax.sip.stack;

import java.net.InetAddress;

/**
 * The RI's TCP listener, except that it can be stopped when it never listened. The RI registers a
 * listening point's processor with the stack before it binds the socket; when the port is taken
 * the bind fails, the processor stays registered without a socket, and the RI's {@code stop()}
 * then fails on it (a NullPointerException on the missing socket). The stack's own stop ends
 * there: the other listening points keep their sockets and the stack's timer thread keeps running.
 * The RI's TLS listener already checks that it runs before it stops; this adds the same check.
 *
 * <p>In the RI's package because the RI's constructor is protected.
 */
public class StoppableTcpMessageProcessor extends TCPMessageProcessor {

    public StoppableTcpMessageProcessor(InetAddress address, SIPTransactionStack stack, int port) {
        super(address, stack, port);
    }

    @Override
    public synchronized void stop() {
        if (sock == null) {
            isRunning = false; // never listened: no socket to close, no connection to end
            return;
        }
        super.stop();
    }
}
