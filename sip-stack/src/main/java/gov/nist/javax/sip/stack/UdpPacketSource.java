package gov.nist.javax.sip.stack;

import java.lang.reflect.Field;
import java.net.DatagramPacket;

/**
 * The source port of the datagram a UDP channel is parsing. The RI's channel learns the port
 * only after a successful parse, so an answer to an unparsable request would otherwise go to
 * the top Via's port: wrong for every caller behind a NAT, and not what the stack does for a
 * parsable request when it forces rport. The channel's worker thread keeps the datagram it is
 * working on in a private field; this reads it.
 */
public final class UdpPacketSource {

    private static final Field INCOMING_PACKET = incomingPacketField();

    private UdpPacketSource() {
    }

    private static Field incomingPacketField() {
        try {
            Field field = UDPMessageChannel.class.getDeclaredField("incomingPacket");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another RI version: callers fall back to the Via's port
        }
    }

    /**
     * Sends bytes as they are from the channel's socket: for a 400 that copies a request line
     * the RI cannot parse (a CSeq number beyond its range), so it cannot be built as a message.
     */
    public static void sendRaw(UDPMessageChannel channel, byte[] bytes, java.net.InetAddress address, int port)
            throws java.io.IOException {
        channel.sendMessage(bytes, address, port, false);
    }

    /** The source port of the datagram being parsed on {@code channel}, or -1 when unknown. */
    public static int portOf(UDPMessageChannel channel) {
        if (INCOMING_PACKET == null) {
            return -1;
        }
        try {
            Object packet = INCOMING_PACKET.get(channel);
            return packet instanceof DatagramPacket datagram ? datagram.getPort() : -1;
        } catch (IllegalAccessException e) {
            return -1;
        }
    }
}
