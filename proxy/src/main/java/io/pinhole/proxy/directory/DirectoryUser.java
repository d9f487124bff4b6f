package io.pinhole.proxy.directory;

/** A subscriber as the SIP side needs it: identity, HA1 digests, whether it may log in. */
public record DirectoryUser(long id, String domain, String username, String ha1Md5, String ha1Sha256, boolean enabled) {

    public String aor() {
        return username + "@" + domain;
    }

    @Override
    public String toString() {
        // HA1 is password-equivalent: keep it out of logs.
        return "DirectoryUser[id=" + id + ", aor=" + aor() + ", enabled=" + enabled + "]";
    }
}
