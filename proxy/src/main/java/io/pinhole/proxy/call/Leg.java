package io.pinhole.proxy.call;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.sip.Flow;

import javax.sip.Dialog;

/**
 * One side of a call: its dialog with us, the flow we reach it on, the tag that names it to
 * the relay, and whether it is behind NAT.
 */
record Leg(Dialog dialog, Flow flow, String relayTag, NatVerdict nat) {
}
