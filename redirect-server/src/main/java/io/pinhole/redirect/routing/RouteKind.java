package io.pinhole.redirect.routing;

/** Whether a route's target is another Pinhole proxy or a carrier's SIP trunk. */
public enum RouteKind {
    PROXY,
    TRUNK
}
