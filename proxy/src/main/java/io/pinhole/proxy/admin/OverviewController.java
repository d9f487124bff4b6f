package io.pinhole.proxy.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.call.CallRegistry;
import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;

/** This proxy at a glance, from memory: the console's overview page. */
@RestController
@RequestMapping(path = "/api/overview", produces = MediaType.APPLICATION_JSON_VALUE)
public class OverviewController {

    private final CallRegistry calls;
    private final RelayPool relays;
    private final MeterRegistry meters;
    private final RecentErrors errors;
    private final Clock clock;
    private final OverviewAssembler assembler = new OverviewAssembler();

    OverviewController(CallRegistry calls, RelayPool relays, MeterRegistry meters, RecentErrors errors, Clock clock) {
        this.calls = calls;
        this.relays = relays;
        this.meters = meters;
        this.errors = errors;
        this.clock = clock;
    }

    @GetMapping
    Overview overview() {
        List<Overview.RelayLoad> loads = relays.relays().stream()
                .sorted(Comparator.comparing(Relay::name)).map(OverviewController::load).toList();
        return assembler.assemble(clock.instant(), calls.live(), meters, loads, errors.recent());
    }

    private static Overview.RelayLoad load(Relay relay) {
        return new Overview.RelayLoad(relay.name(), !relay.up() ? "down" : relay.draining() ? "draining" : "up",
                relay.weight(), relay.active());
    }
}
