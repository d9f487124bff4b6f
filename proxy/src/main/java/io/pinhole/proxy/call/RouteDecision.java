package io.pinhole.proxy.call;

/**
 * Where a new call goes, decided before anything is done for it ({@link CallRouting}).
 *
 * @param target what the kind acts on: the callee AOR (user@domain) for LOCAL, the room id
 *               (name@domain) for CONFERENCE, null otherwise
 */
public record RouteDecision(Kind kind, String target) {

    public enum Kind {
        /** A subscriber of a served domain with live bindings: fork to them. */
        LOCAL,
        /** A room of a served domain (or an ad hoc room): the conference package answers. */
        CONFERENCE,
        /** Not a served domain, or a number that is no subscriber: ask the redirect server (trunks). */
        REDIRECT,
        /** A subscriber without a live binding: 480. */
        UNAVAILABLE,
        /** Nobody by that name in a served domain: 404. */
        NOT_FOUND,
        /** A caller of another domain asking us to reach a domain we do not serve: 403. */
        RELAYING_DENIED
    }

    static RouteDecision of(Kind kind) {
        return new RouteDecision(kind, null);
    }
}
