package io.pinhole.proxy.registrar;

/** Limits the registrar applies to every REGISTER. */
public record RegistrarPolicy(int minExpires, int maxExpires, int defaultExpires, int maxContacts) {

    public RegistrarPolicy {
        if (minExpires < 1 || maxExpires < minExpires || defaultExpires < minExpires || defaultExpires > maxExpires) {
            throw new IllegalArgumentException("need 1 <= min-expires <= default-expires <= max-expires, got "
                    + minExpires + " / " + defaultExpires + " / " + maxExpires);
        }
        if (maxContacts < 1) {
            throw new IllegalArgumentException("max-contacts must be >= 1, was " + maxContacts);
        }
    }
}
