package io.pinhole.proxy.routing;

import javax.sip.header.ContactHeader;
import javax.sip.message.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ListIterator;

/** Reads a redirect server's final response into a {@link RedirectAnswer}: a pure function. */
public final class RedirectAnswers {

    private RedirectAnswers() {
    }

    public static RedirectAnswer read(Response response, Instant now, Duration defaultExpires) {
        int status = response.getStatusCode();
        if (status != 301 && status != 302) {
            return new RedirectAnswer.Refused(status == 200 || status >= 300 && status < 400 ? 404 : status,
                    status == 200 || status >= 300 && status < 400 ? "No route" : response.getReasonPhrase());
        }
        List<RedirectTarget> targets = new ArrayList<>();
        long expires = Long.MAX_VALUE;
        ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME);
        while (contacts.hasNext()) {
            ContactHeader contact = (ContactHeader) contacts.next();
            if (contact.getAddress() == null || contact.getAddress().getURI() == null) {
                continue;
            }
            float q = contact.getQValue() < 0 ? 1.0f : contact.getQValue();
            targets.add(new RedirectTarget(contact.getAddress().getURI().toString(), q));
            if (contact.getExpires() >= 0) {
                expires = Math.min(expires, contact.getExpires());
            }
        }
        if (targets.isEmpty()) {
            return new RedirectAnswer.Refused(404, "No route");
        }
        // Stable sort keeps the server's order (its weight ordering) among equal q.
        targets.sort(Comparator.comparingDouble(RedirectTarget::q).reversed());
        long seconds = expires == Long.MAX_VALUE ? defaultExpires.toSeconds() : expires;
        return new RedirectAnswer.Targets(targets, now.plusSeconds(seconds));
    }
}
