package io.pinhole.proxy.call;

/** The CDR outcome for a final status (the values the {@code calls.outcome} check allows). */
final class Outcomes {

    private Outcomes() {
    }

    static String of(int status) {
        if (status < 300) {
            return "answered";
        }
        return switch (status) {
            case 486, 600 -> "busy";
            case 408, 480 -> "no-answer";
            case 487 -> "cancelled";
            default -> status >= 500 && status < 600 ? "failed" : "rejected";
        };
    }

    /**
     * RFC 3261 §16.7 step 6, simplified: a 6xx wins, otherwise the lowest class, and within a
     * class the lowest code.
     */
    static boolean better(int candidate, int current) {
        if (current == 0) {
            return true;
        }
        boolean candidateGlobal = candidate >= 600;
        boolean currentGlobal = current >= 600;
        if (candidateGlobal != currentGlobal) {
            return candidateGlobal;
        }
        return candidate < current;
    }
}
