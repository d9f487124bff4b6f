/**
 * HEP v3 (Homer Encapsulation Protocol) capture shared by the proxy, the redirect server (SIP
 * messages) and the relay (RTCP reports): the encoding as a pure function ({@link
 * io.pinhole.wire.hep.HepPacket}), the collector's address ({@link io.pinhole.wire.hep.HepTarget}),
 * and the exporter that sends from a thread of its own with a bounded queue ({@link
 * io.pinhole.wire.hep.HepExporter}), so no SIP or media thread ever waits on a collector.
 */
package io.pinhole.wire.hep;
