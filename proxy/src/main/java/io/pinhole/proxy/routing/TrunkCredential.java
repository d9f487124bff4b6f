package io.pinhole.proxy.routing;

/**
 * How the proxy authenticates towards one carrier trunk: a user name, the realm the carrier
 * challenges with, and the MD5 HA1 of the account (the plain password is never stored).
 */
public record TrunkCredential(String host, int port, String username, String realm, String ha1Md5) {

    @Override
    public String toString() {
        return "TrunkCredential[" + username + "@" + realm + " for " + host + ":" + port + "]";
    }
}
