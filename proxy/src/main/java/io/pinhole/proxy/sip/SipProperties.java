package io.pinhole.proxy.sip;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * SIP listening settings of the proxy ({@code pinhole.sip.*}).
 *
 * @param bindAddress         address the UDP/TCP/TLS listening points bind to
 * @param advertisedAddress   address written into our Via and Contact; empty = the bind address,
 *                            or the first non-loopback IPv4 address when binding to 0.0.0.0
 * @param port                UDP and TCP port
 * @param tlsPort             TLS port, used only when a keystore is configured
 * @param tlsKeystore         keystore file (PKCS12 or JKS) with the server certificate; empty = no TLS
 * @param tlsKeystorePassword its password
 * @param tlsKeystoreType     PKCS12 or JKS
 * @param threads             threads running SIP handlers
 * @param maxMessageBytes     largest message accepted (UDP, TCP, TLS); a larger UDP datagram is
 *                            dropped with a warning
 * @param nonInviteLinger     how long a non-INVITE server transaction absorbs retransmissions of
 *                            its request after the final response (Timer J; RFC 3261: 32 s over
 *                            UDP, Kamailio's wait timer: 5 s); see {@link NonInviteLinger}
 * @param forceRport          answer UDP requests at their packet's source even without {@code rport}
 *                            in the Via (as Asterisk and Kamailio deployments do), so phones behind
 *                            NAT that do not ask for it hear their responses; false = RFC 3261
 *                            18.2.2 read literally (the Via's sent-by port)
 */
@Validated
@ConfigurationProperties("pinhole.sip")
public record SipProperties(
        @DefaultValue("0.0.0.0") @NotBlank String bindAddress,
        @DefaultValue("") String advertisedAddress,
        @DefaultValue("5060") @Min(1) @Max(65535) int port,
        @DefaultValue("5061") @Min(1) @Max(65535) int tlsPort,
        @DefaultValue("") String tlsKeystore,
        @DefaultValue("") String tlsKeystorePassword,
        @DefaultValue("PKCS12") String tlsKeystoreType,
        @DefaultValue("4") @Min(1) @Max(64) int threads,
        @DefaultValue("16384") @Min(4096) @Max(65536) int maxMessageBytes,
        @DefaultValue("5s") java.time.Duration nonInviteLinger,
        @DefaultValue("true") boolean forceRport) {

    @Override
    public String toString() {
        return "SipProperties[bindAddress=" + bindAddress + ", port=" + port + ", tlsPort=" + tlsPort
                + ", tlsKeystore=" + tlsKeystore + ", threads=" + threads + ", forceRport=" + forceRport + "]";
    }
}
