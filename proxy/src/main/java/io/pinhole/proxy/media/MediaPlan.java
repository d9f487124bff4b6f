package io.pinhole.proxy.media;

import java.util.List;
import java.util.Objects;

/**
 * A call's media decision: whether it gets a relay, and each fork's paths with their reasons.
 *
 * @param media        DIRECT, or RELAY_UDP when the call gets a relay ({@code calls.media_path})
 * @param relayWanted  a fork's plan needed the relay, whether or not the call got one
 * @param reason       why, in words, for the call as a whole
 * @param forks        one pair per callee leg of the evidence, in its order, as carried out
 */
public record MediaPlan(MediaPath media, boolean relayWanted, String reason, List<PathPlan> forks) {

    public MediaPlan {
        if (media != MediaPath.DIRECT && media != MediaPath.RELAY_UDP) {
            throw new IllegalArgumentException("a call is relayed or not, not " + media);
        }
        reason = Objects.requireNonNull(reason, "reason").intern(); // repeats from call to call, as LegPlan's
        forks = List.copyOf(forks);
        if (forks.isEmpty()) {
            throw new IllegalArgumentException("a plan has at least one fork");
        }
    }

    /** The caller's leg: the same in every fork once the call is relayed (one offer serves them all). */
    public LegPlan caller() {
        // loops, not streams: read several times on every call's set-up path
        for (PathPlan fork : forks) {
            if (fork.caller().actual() != MediaPath.DIRECT) {
                return fork.caller();
            }
        }
        return forks.get(0).caller();
    }

    /**
     * What the side that will answer asks of the relay in the call's first offer: the first callee
     * fork's stream transport, or null when no fork's media goes over a stream. One token serves every
     * fork (one of them answers) and opens every port, so forks on TCP and TLS share it.
     */
    public MediaTransport answererTransport() {
        for (PathPlan fork : forks) {
            if (fork.callee() != null && fork.callee().transport().stream()) {
                return fork.callee().transport();
            }
        }
        return null;
    }

    /**
     * The stream transports the relay taking this call must serve: the caller's, and every callee
     * fork's (any fork may answer). Empty when all the media goes over UDP.
     */
    public java.util.Set<MediaTransport> relayTransports() {
        java.util.Set<MediaTransport> needed = null; // most calls: none, and no set is built
        MediaTransport caller = caller().transport();
        if (caller.stream()) {
            needed = java.util.EnumSet.of(caller);
        }
        for (PathPlan fork : forks) {
            if (fork.callee() != null && fork.callee().transport().stream()) {
                if (needed == null) {
                    needed = java.util.EnumSet.noneOf(MediaTransport.class);
                }
                needed.add(fork.callee().transport());
            }
        }
        return needed == null ? java.util.Set.of() : java.util.Set.copyOf(needed);
    }

    /**
     * The paths of the callee leg named {@code name} (the answering fork). A plan with one callee
     * leg answers for every name: that leg stood for whichever redirect target answers. Without a
     * match (several forks, none answered) only the caller's leg is known.
     */
    public PathPlan forCallee(String name) {
        if (forks.size() == 1) {
            return forks.get(0);
        }
        return forks.stream().filter(f -> f.callee().leg().equals(name)).findFirst()
                .orElse(new PathPlan(caller(), null));
    }
}
