package io.pinhole.proxy.admin;

import io.pinhole.proxy.registrar.BindingCache;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Current bindings as this proxy serves them (from memory: what the SIP side sees). */
@RestController
@RequestMapping(path = "/api/registrations", produces = MediaType.APPLICATION_JSON_VALUE)
public class RegistrationController {

    private final BindingCache bindings;
    private final Clock clock;
    private final io.pinhole.proxy.keepalive.PingBook pings;
    private final io.pinhole.proxy.probe.CapabilityBook capabilities;

    public RegistrationController(BindingCache bindings, Clock clock, io.pinhole.proxy.keepalive.PingBook pings,
                                  io.pinhole.proxy.probe.CapabilityBook capabilities) {
        this.bindings = bindings;
        this.clock = clock;
        this.pings = pings;
        this.capabilities = capabilities;
    }

    @GetMapping
    List<RegistrationView> list(@RequestParam(required = false) String domain,
                                @RequestParam(required = false) String user) {
        Instant now = clock.instant();
        return bindings.all(now).stream()
                .filter(b -> domain == null || b.aor().endsWith("@" + domain.toLowerCase(java.util.Locale.ROOT)))
                .filter(b -> user == null || b.aor().startsWith(user + "@"))
                .sorted(Comparator.comparing(io.pinhole.proxy.registrar.Binding::aor)
                        .thenComparing(io.pinhole.proxy.registrar.Binding::contactUri))
                .map(b -> RegistrationView.of(b, now, pings, capabilities))
                .toList();
    }
}
