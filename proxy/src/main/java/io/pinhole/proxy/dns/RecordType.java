package io.pinhole.proxy.dns;

/** The record types a SIP target's resolution asks for. */
public enum RecordType {
    NAPTR, SRV, A, AAAA
}
