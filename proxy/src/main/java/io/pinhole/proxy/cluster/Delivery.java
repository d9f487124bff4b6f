package io.pinhole.proxy.cluster;

import io.pinhole.proxy.registrar.Binding;

import java.util.List;

/** Who delivers a call to a registered user ({@link DeliveryDecision}). */
public sealed interface Delivery {

    /** This proxy holds the flows: fork to these bindings. */
    record Local(List<Binding> bindings) implements Delivery {
        public Local {
            bindings = List.copyOf(bindings);
        }
    }

    /** Only another proxy of the cluster holds a flow to the user: send the call there. */
    record Forward(PeerAddress owner) implements Delivery {
    }

    /** Nobody can deliver it (480); {@code why} goes into the log line. */
    record Unreachable(String why) implements Delivery {
    }
}
