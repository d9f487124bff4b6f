package io.pinhole.relay.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the relay reads from configuration ({@code pinhole.relay.*}; environment variables
 * such as {@code PINHOLE_RELAY_CONTROL_PORT} bind through Spring's relaxed binding).
 *
 * @param controlAddress     address of the ng control socket; private by default because ng has
 *                           no authentication of its own
 * @param controlPort        UDP port of the ng control socket (0 = any, for tests)
 * @param secret             optional shared secret: when set, every ng request must carry it in
 *                           its {@code secret} key
 * @param mediaAddress       address the media sockets bind to
 * @param advertisedAddress  address written into rewritten SDP; empty = {@code mediaAddress}
 *                           (set it when the relay is behind a 1:1 NAT)
 * @param portMin            first port of the media range (even)
 * @param portMax            last port of the media range
 * @param portQuietPeriod    a released port is not handed out again before this has passed, so
 *                           late packets of an old call never reach a new one
 * @param timeout            a call with no media for this long is torn down
 * @param holdTimeout        the same while a stream of the call is on hold (c=0.0.0.0, inactive,
 *                           sendonly, recvonly)
 * @param strictSource       after latching, drop packets from any other source (RTP bleed)
 * @param relatchOnNewSsrc   accept a new source address when it also brings a new SSRC
 *                           (phones that roam between networks)
 * @param mediaThreads       event-loop threads forwarding media (0 = number of cores)
 * @param maxDatagramSize    largest datagram the batched receive path accepts
 * @param readBatch          datagrams read per recvmmsg call
 * @param replyCacheTtl      how long a reply is kept for a retransmitted cookie
 * @param warmUpCalls        calls run through the ng commands (real sockets, own counters) before
 *                           the control socket opens, so the first real ones meet compiled code;
 *                           0 = none
 */
@Validated
@ConfigurationProperties(prefix = "pinhole.relay")
public record RelayProperties(
        @NotBlank @DefaultValue("127.0.0.1") String controlAddress,
        @Min(0) @Max(65535) @DefaultValue("2223") int controlPort,
        @DefaultValue("") String secret,
        @NotBlank @DefaultValue("127.0.0.1") String mediaAddress,
        @DefaultValue("") String advertisedAddress,
        @Min(1024) @Max(65534) @DefaultValue("30000") int portMin,
        @Min(1025) @Max(65535) @DefaultValue("40000") int portMax,
        @NotNull @DefaultValue("5s") Duration portQuietPeriod,
        @NotNull @DefaultValue("60s") Duration timeout,
        @NotNull @DefaultValue("3600s") Duration holdTimeout,
        @DefaultValue("true") boolean strictSource,
        @DefaultValue("false") boolean relatchOnNewSsrc,
        @Min(0) @Max(64) @DefaultValue("0") int mediaThreads,
        @Min(576) @Max(65507) @DefaultValue("2048") int maxDatagramSize,
        @Min(1) @Max(256) @DefaultValue("16") int readBatch,
        @NotNull @DefaultValue("30s") Duration replyCacheTtl,
        @Min(0) @Max(100_000) @DefaultValue("2000") int warmUpCalls) {

    /** The media range must hold at least one RTP/RTCP pair. */
    @AssertTrue(message = "pinhole.relay.port-max must be at least port-min + 1")
    public boolean isPortRangeValid() {
        return portMax > portMin;
    }

    @AssertTrue(message = "pinhole.relay.timeout and hold-timeout must be positive")
    public boolean isTimeoutValid() {
        return timeout != null && holdTimeout != null && !timeout.isNegative() && !timeout.isZero()
                && !holdTimeout.isNegative() && !holdTimeout.isZero();
    }

    /** Every setting but the secret, which shows only whether it is set. */
    @Override
    public String toString() {
        return "RelayProperties[controlAddress=" + controlAddress + ", controlPort=" + controlPort
                + ", secret=" + (secret == null || secret.isEmpty() ? "unset" : "****")
                + ", mediaAddress=" + mediaAddress + ", advertisedAddress=" + advertisedAddress
                + ", portMin=" + portMin + ", portMax=" + portMax + ", portQuietPeriod=" + portQuietPeriod
                + ", timeout=" + timeout + ", holdTimeout=" + holdTimeout + ", strictSource=" + strictSource
                + ", relatchOnNewSsrc=" + relatchOnNewSsrc + ", mediaThreads=" + mediaThreads
                + ", maxDatagramSize=" + maxDatagramSize + ", readBatch=" + readBatch
                + ", replyCacheTtl=" + replyCacheTtl + ", warmUpCalls=" + warmUpCalls + "]";
    }

    /** The address put into SDP. */
    public String sdpAddress() {
        return advertisedAddress == null || advertisedAddress.isBlank() ? mediaAddress : advertisedAddress;
    }

    /** Defaults with a few overrides, for code that runs the relay without Spring (tests, bench). */
    public static RelayProperties defaults() {
        return new RelayProperties("127.0.0.1", 2223, "", "127.0.0.1", "", 30000, 40000,
                Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(3600), true, false, 0,
                2048, 16, Duration.ofSeconds(30), 2000);
    }

    public RelayProperties withControl(String address, int port) {
        return new RelayProperties(address, port, secret, mediaAddress, advertisedAddress, portMin, portMax,
                portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls);
    }

    public RelayProperties withPorts(int min, int max, Duration quiet) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, min, max,
                quiet, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls);
    }

    public RelayProperties withTimeouts(Duration media, Duration hold) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, media, hold, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls);
    }

    public RelayProperties withSecret(String newSecret) {
        return new RelayProperties(controlAddress, controlPort, newSecret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls);
    }

    public RelayProperties withMedia(String bind, String advertised) {
        return new RelayProperties(controlAddress, controlPort, secret, bind, advertised, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls);
    }

    public RelayProperties withLatching(boolean strict, boolean relatch) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strict, relatch, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls);
    }

    public RelayProperties withMediaThreads(int threads) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, threads,
                maxDatagramSize, readBatch, replyCacheTtl, warmUpCalls);
    }

    public RelayProperties withWarmUp(int calls) {
        return new RelayProperties(controlAddress, controlPort, secret, mediaAddress, advertisedAddress, portMin,
                portMax, portQuietPeriod, timeout, holdTimeout, strictSource, relatchOnNewSsrc, mediaThreads,
                maxDatagramSize, readBatch, replyCacheTtl, calls);
    }
}
