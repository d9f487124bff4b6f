package io.pinhole.proxy.registrar;

/**
 * One Contact of a REGISTER, as the client wrote it.
 *
 * @param expires    the contact's {@code expires} parameter, or null
 * @param q          the {@code q} parameter, or null
 * @param instanceId {@code +sip.instance} (RFC 5626), or null
 * @param regId      {@code reg-id} (RFC 5626), or null
 */
public record ContactSpec(String uri, Integer expires, Float q, String instanceId, Integer regId) {

    /**
     * What identifies a binding: the instance and flow when the phone uses outbound, so a
     * phone whose contact address changed replaces its binding instead of adding one.
     */
    public String bindingKey() {
        if (instanceId != null) {
            return regId == null ? instanceId : instanceId + ";reg-id=" + regId;
        }
        return uri;
    }
}
