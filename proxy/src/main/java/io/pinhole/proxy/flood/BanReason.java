package io.pinhole.proxy.flood;

/** Why a source is banned (the {@code reason} tag of the metrics and of the admin API). */
public enum BanReason {
    /** More requests within the window than {@code pinhole.flood.max-requests-per-source}. */
    RATE("rate"),
    /** A User-Agent of a known scanner. */
    SCANNER("scanner");

    private final String tag;

    BanReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
