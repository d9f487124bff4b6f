package io.pinhole.proxy.session;

/**
 * What an INVITE says about session timers.
 *
 * @param supportsTimer  its Supported header lists {@code timer}
 * @param sessionExpires its Session-Expires, or null
 * @param minSe          its Min-SE in seconds, or null
 */
public record TimerRequest(boolean supportsTimer, SessionExpires sessionExpires, Integer minSe) {

    public static final TimerRequest NONE = new TimerRequest(false, null, null);
}
