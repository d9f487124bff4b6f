package io.pinhole.proxy.dns;

import java.util.concurrent.CompletableFuture;

/** Asks one DNS question without blocking the caller; the future never completes exceptionally. */
public interface Dns {

    CompletableFuture<DnsAnswer> query(String name, RecordType type);
}
