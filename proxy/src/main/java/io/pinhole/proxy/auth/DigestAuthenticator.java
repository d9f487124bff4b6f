package io.pinhole.proxy.auth;

import io.pinhole.proxy.directory.DirectoryUser;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Checks digest credentials (RFC 3261 §22, RFC 8760) against the directory: nonce
 * authenticity and age, nonce-count replay, qop=auth, the response itself, and the
 * brute-force guard ({@link AuthGuard}: wrong answers per account and address, and per address).
 */
public final class DigestAuthenticator {

    /** The 403 reason phrase for an answer refused by a lockout. */
    static final String LOCKED_OUT = "Too many failed authentication attempts";

    private final NonceService nonces;
    private final NonceCounts nonceCounts;
    private final AuthGuard guard;
    private final BiFunction<String, String, Optional<DirectoryUser>> users;

    /**
     * @param users looks a user up by (domain, username), from memory
     */
    public DigestAuthenticator(NonceService nonces, NonceCounts nonceCounts, AuthGuard guard,
                               BiFunction<String, String, Optional<DirectoryUser>> users) {
        this.nonces = nonces;
        this.nonceCounts = nonceCounts;
        this.guard = guard;
        this.users = users;
    }

    /**
     * @param method       the request method (part of HA2)
     * @param realm        our realm: the domain the request is for
     * @param requiredUser the user the credentials must belong to (the AOR of a REGISTER), or null
     * @param source       the packet's source address (with the account, the key of the failure tallies)
     * @param credentials  every Authorization header of the request
     */
    public AuthOutcome authenticate(String method, String realm, String requiredUser, String source,
                                    List<DigestCredentials> credentials) {
        DigestCredentials c = null;
        for (DigestCredentials candidate : credentials) { // a loop: this runs for every REGISTER and INVITE
            if (realm.equalsIgnoreCase(candidate.realm())) {
                c = candidate;
                break;
            }
        }
        if (c == null) {
            return new AuthOutcome.Challenge(false, "no credentials for realm " + realm);
        }
        if (c.username() == null || c.nonce() == null || c.response() == null || c.uri() == null) {
            return new AuthOutcome.Challenge(false, "incomplete credentials");
        }
        if (requiredUser != null && !requiredUser.equals(c.username())) {
            return new AuthOutcome.Forbidden("Authentication user does not match the address of record");
        }
        AuthGuard.Account account = new AuthGuard.Account(c.username(), realm, source);
        if (guard.refusal(account) != null) {
            return new AuthOutcome.Forbidden(LOCKED_OUT);
        }
        Optional<DigestAlgorithm> algorithm = DigestAlgorithm.fromWire(c.algorithm());
        if (algorithm.isEmpty()) {
            return new AuthOutcome.Challenge(false, "unsupported algorithm " + c.algorithm());
        }
        switch (nonces.check(c.nonce())) {
            case INVALID:
                return new AuthOutcome.Challenge(false, "nonce not issued by us");
            case STALE:
                return new AuthOutcome.Challenge(true, "nonce expired");
            case VALID:
                break;
        }
        if (!"auth".equalsIgnoreCase(c.qop()) || c.cnonce() == null || c.nonceCount() == null) {
            return new AuthOutcome.Challenge(false, "qop=auth with cnonce and nc required");
        }
        long count;
        try {
            count = Long.parseLong(c.nonceCount(), 16);
        } catch (NumberFormatException e) {
            return new AuthOutcome.Challenge(false, "malformed nonce count");
        }
        Optional<DirectoryUser> user = users.apply(realm, c.username());
        if (user.isEmpty() || !user.get().enabled()) {
            // Same answer as a wrong password would eventually get: no hint whether the user exists.
            guard.failed(account);
            return new AuthOutcome.Forbidden("Forbidden");
        }
        String ha1 = algorithm.get() == DigestAlgorithm.MD5 ? user.get().ha1Md5() : user.get().ha1Sha256();
        String expected = DigestResponse.expected(algorithm.get(), ha1, method, c);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                c.response().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            if (guard.failed(account)) {
                return new AuthOutcome.Forbidden(LOCKED_OUT);
            }
            return new AuthOutcome.Challenge(false, "wrong credentials");
        }
        if (!nonceCounts.accept(c.nonce(), count)) {
            return new AuthOutcome.Challenge(false, "nonce count replayed");
        }
        guard.succeeded(account);
        return new AuthOutcome.Authorized(user.get());
    }

    public String issueNonce() {
        return nonces.issue();
    }

    /** Whether a nonce is one this proxy issued and that has not expired: an answer to our own challenge. */
    public boolean issuedFresh(String nonce) {
        return nonces.check(nonce) == NonceService.Verdict.VALID;
    }

    /** Periodic housekeeping: forget counts and tallies that can no longer matter. */
    public void purge() {
        nonceCounts.purgeExpired();
        guard.purgeExpired();
    }
}
