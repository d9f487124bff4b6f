package io.pinhole.relay.control;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Typed read access to a decoded ng dictionary. */
public final class NgRequest {

    private final Map<String, Object> dict;

    public NgRequest(Map<String, Object> dict) {
        this.dict = dict;
    }

    public Map<String, Object> dict() {
        return dict;
    }

    /** A string value, or null when absent; a non-string value is an error. */
    public String string(String key) throws NgException {
        Object v = dict.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long l) {
            return Long.toString(l);
        }
        throw new NgException("Invalid value for key '" + key + "'");
    }

    public String require(String key) throws NgException {
        return require(key, "No " + key + " in message");
    }

    public String require(String key, String reasonWhenMissing) throws NgException {
        String v = string(key);
        if (v == null || v.isEmpty()) {
            throw new NgException(reasonWhenMissing);
        }
        return v;
    }

    /** A list of strings; a single string counts as a one-element list. */
    public List<String> list(String key) throws NgException {
        Object v = dict.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> l) {
            String[] out = new String[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof String s)) {
                    throw new NgException("Invalid value in list '" + key + "'");
                }
                out[i] = s;
            }
            return List.of(out);
        }
        throw new NgException("Invalid value for key '" + key + "'");
    }

    /**
     * The values of a list key, normalised as rtpengine does (case-insensitive, '_' and ' ' equal
     * to '-'), so {@code SIP-source-address}, {@code sip_source_address} all match.
     */
    public Set<String> names(String key) throws NgException {
        Set<String> out = new HashSet<>();
        for (String s : list(key)) {
            out.add(normalise(s));
        }
        return out;
    }

    static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
    }
}
