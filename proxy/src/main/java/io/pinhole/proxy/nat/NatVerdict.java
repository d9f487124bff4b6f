package io.pinhole.proxy.nat;

import java.util.List;

/** Whether a leg is behind NAT, and every piece of evidence that says so. */
public record NatVerdict(boolean behindNat, List<String> reasons) {

    public NatVerdict {
        reasons = List.copyOf(reasons);
    }

    public static final NatVerdict PUBLIC = new NatVerdict(false, List.of());

    @Override
    public String toString() {
        return behindNat ? "behind NAT (" + String.join("; ", reasons) + ")" : "public";
    }
}
