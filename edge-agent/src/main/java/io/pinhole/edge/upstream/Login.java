package io.pinhole.edge.upstream;

/**
 * How the agent logs in to the proxy as its own address of record: a password it answers the
 * proxy's digest challenge with ({@link Credential}), or a token from the admin API it presents in
 * its {@code Pinhole-Edge} header ({@link EdgeToken}).
 */
public sealed interface Login permits Credential, EdgeToken {

    String user();

    String domain();

    default String aor() {
        return "sip:" + user() + "@" + domain();
    }
}
