package io.pinhole.relay.call;

import io.pinhole.relay.media.Endpoint;
import io.pinhole.relay.media.IceCredentials;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * One party of a call (rtpengine's "monologue"), named by its SIP tag, with one {@link Endpoint}
 * per media stream in m= line order, and, when asked for over ng, the token and the live TCP/TLS
 * connections that carry its media. Confined to the control thread (see {@link Call}).
 */
public final class Side {

    private String tag;
    // Sized for the usual single m= line (ArrayList's default is 10 slots, ~40 bytes more a list),
    // growing when a call has more; no slot for TCP/TLS streams until one binds (rare).
    private final List<Endpoint> endpoints = new ArrayList<>(1);
    private final List<Boolean> offeredMux = new ArrayList<>(1);
    private int offeredMedia;
    private String streamToken;
    private final List<StreamConnection> streams = new ArrayList<>(0);

    /**
     * Made by the first offer or answer with ICE=force toward this side, then kept for the call (a
     * new pair would be an ICE restart); null until then, so the calls that never force ICE (most)
     * hold no credentials: two random tokens a side, ~270 bytes of heap a call.
     */
    private IceCredentials ice;

    Side(String tag) {
        this.tag = tag;
    }

    /** The relay's ICE credentials in the SDP toward this side's phone (ICE=force); control thread only. */
    IceCredentials ice(Supplier<IceCredentials> make) {
        if (ice == null) {
            ice = make.get();
        }
        return ice;
    }

    public String tag() {
        return tag;
    }

    void tag(String newTag) {
        this.tag = newTag;
    }

    /** By media index; null where a stream has no endpoint. */
    public List<Endpoint> endpoints() {
        return Collections.unmodifiableList(endpoints);
    }

    /** Endpoint for a media index, or null when the stream has none (not yet, or disabled). */
    Endpoint endpoint(int index) {
        return index < endpoints.size() ? endpoints.get(index) : null;
    }

    void put(int index, Endpoint e) {
        while (endpoints.size() <= index) {
            endpoints.add(null);
        }
        endpoints.set(index, e);
    }

    /** How many m= lines this side has offered (disabled ones included): the most an answer may have. */
    int offeredMedia() {
        return offeredMedia;
    }

    void offeredMedia(int count) {
        offeredMedia = Math.max(offeredMedia, count);
    }

    boolean offeredMux(int index) {
        return index < offeredMux.size() && offeredMux.get(index);
    }

    void offeredMux(int index, boolean mux) {
        while (offeredMux.size() <= index) {
            offeredMux.add(false);
        }
        offeredMux.set(index, mux);
    }

    /** The token a TCP/TLS connection presents to carry this side's media, or null before one was asked for. */
    public String streamToken() {
        return streamToken;
    }

    void streamToken(String token) {
        this.streamToken = token;
    }

    /** The TCP/TLS connections bound to this side now. */
    public List<StreamConnection> streams() {
        return Collections.unmodifiableList(streams);
    }

    public void addStream(StreamConnection connection) {
        streams.add(connection);
    }

    public void removeStream(StreamConnection connection) {
        streams.remove(connection);
    }
}
