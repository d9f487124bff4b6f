package io.pinhole.proxy.conference;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/domains/{domain}/conferences}.
 *
 * @param pin        1 to 16 digits, or absent for a room without PIN
 * @param maxParties 2 to 1000, or absent for the relay's ceiling
 */
public record CreateRoom(
        @NotBlank @Size(max = 128) @Pattern(regexp = "^[A-Za-z0-9._~+-]+$",
                message = "may contain letters, digits and . _ ~ + - only") String name,
        @Pattern(regexp = "^[0-9]{1,16}$", message = "must be 1 to 16 digits") String pin,
        @Min(RoomNames.MIN_PARTIES) @Max(RoomNames.MAX_PARTIES) Integer maxParties) {

    @Override
    public String toString() {
        return "CreateRoom[name=" + name + ", maxParties=" + maxParties + "]"; // the PIN stays out of logs
    }
}
