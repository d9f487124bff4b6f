package io.pinhole.proxy.admin;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Bodies the admin API accepts. Validated before anything reaches the database. */
final class AdminRequests {

    static final String DOMAIN_PATTERN = "^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$";
    static final String USERNAME_PATTERN = "^[A-Za-z0-9._~+-]+$";

    private AdminRequests() {
    }

    record CreateDomain(
            @NotBlank @Size(max = 253) @Pattern(regexp = DOMAIN_PATTERN,
                    message = "must be a lower-case host name (letters, digits, dots, hyphens)") String name) {
    }

    record UpdateDomain(@NotNull Boolean enabled) {
    }

    record CreateUser(
            @NotBlank @Size(max = 128) @Pattern(regexp = USERNAME_PATTERN,
                    message = "may contain letters, digits and . _ ~ + - only") String username,
            @NotNull @Size(min = 8, max = 128) String password,
            @Size(max = 128) String displayName) {

        @Override
        public String toString() {
            return "CreateUser[username=" + username + "]";
        }
    }

    record UpdateUser(Boolean enabled, @Size(min = 8, max = 128) String password, @Size(max = 128) String displayName) {

        @Override
        public String toString() {
            return "UpdateUser[enabled=" + enabled + "]";
        }
    }
}
