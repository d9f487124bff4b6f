package io.pinhole.proxy.flood;

import io.pinhole.proxy.admin.ApiException;
import io.pinhole.proxy.nat.AddressClass;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.InetAddress;
import java.util.List;

/**
 * Banned source addresses: listed, and lifted by hand (an office that tripped the rate limit).
 * Part of the admin API: errors are the admin API's JSON answers, and the OpenAPI document
 * describes it with the rest.
 */
@RestController
@RequestMapping(path = "/api/bans", produces = MediaType.APPLICATION_JSON_VALUE)
public class BanController {

    private final FloodGuard guard;

    public BanController(FloodGuard guard) {
        this.guard = guard;
    }

    @GetMapping
    List<BanView> list() {
        return guard.bans();
    }

    @DeleteMapping("/{address}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void lift(@PathVariable String address) {
        InetAddress parsed = AddressClass.literal(address)
                .orElseThrow(() -> ApiException.badRequest("not an IP address: " + address));
        if (!guard.lift(parsed)) {
            throw new ApiException(HttpStatus.NOT_FOUND, "no ban for " + parsed.getHostAddress());
        }
    }
}
