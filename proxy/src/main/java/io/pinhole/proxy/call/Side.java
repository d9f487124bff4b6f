package io.pinhole.proxy.call;

/** The two dialogs of a bridged call. */
public enum Side {
    CALLER, CALLEE;

    public Side other() {
        return this == CALLER ? CALLEE : CALLER;
    }
}
