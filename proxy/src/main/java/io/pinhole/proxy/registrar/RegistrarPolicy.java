package io.pinhole.proxy.registrar;

/**
 * Limits the registrar applies to every REGISTER, and the Flow-Timer (seconds) it tells RFC 5626
 * outbound phones per transport.
 */
public record RegistrarPolicy(int minExpires, int maxExpires, int defaultExpires, int maxContacts, int flowTimerUdp,
                              int flowTimerTcp) {

    public RegistrarPolicy(int minExpires, int maxExpires, int defaultExpires, int maxContacts) {
        this(minExpires, maxExpires, defaultExpires, maxContacts, 25, 120);
    }

    public int flowTimer(String transport) {
        return "UDP".equalsIgnoreCase(transport) ? flowTimerUdp : flowTimerTcp;
    }

    public RegistrarPolicy {
        if (minExpires < 1 || maxExpires < minExpires || defaultExpires < minExpires || defaultExpires > maxExpires) {
            throw new IllegalArgumentException("need 1 <= min-expires <= default-expires <= max-expires, got "
                    + minExpires + " / " + defaultExpires + " / " + maxExpires);
        }
        if (flowTimerUdp < 1 || flowTimerTcp < 1) {
            throw new IllegalArgumentException("flow timers must be >= 1 s, were " + flowTimerUdp + " / " + flowTimerTcp);
        }
        if (maxContacts < 1) {
            throw new IllegalArgumentException("max-contacts must be >= 1, was " + maxContacts);
        }
    }
}
