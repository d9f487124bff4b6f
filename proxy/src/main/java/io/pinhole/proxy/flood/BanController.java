package io.pinhole.proxy.flood;

import io.pinhole.proxy.admin.ApiError;
import io.pinhole.proxy.nat.AddressClass;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** Banned source addresses: listed, and lifted by hand (an office that tripped the rate limit). */
@RestController
@RequestMapping("/api/bans")
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
    ResponseEntity<?> lift(@PathVariable String address) {
        Optional<InetAddress> parsed = AddressClass.literal(address);
        if (parsed.isEmpty()) {
            return error(HttpStatus.BAD_REQUEST, "not an IP address: " + address);
        }
        if (!guard.lift(parsed.get())) {
            return error(HttpStatus.NOT_FOUND, "no ban for " + parsed.get().getHostAddress());
        }
        return ResponseEntity.noContent().build();
    }

    /** The admin API's error body; the admin package's exception handler covers only its own controllers. */
    private static ResponseEntity<ApiError> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(new ApiError(status.value(), message));
    }
}
