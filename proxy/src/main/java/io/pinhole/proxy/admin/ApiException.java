package io.pinhole.proxy.admin;

import org.springframework.http.HttpStatus;

/** An admin request that cannot be carried out, with the status and message to answer. */
public final class ApiException extends RuntimeException {

    private final HttpStatus status;

    public ApiException(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, what + " not found");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }

    public static ApiException conflict(String what) {
        return new ApiException(HttpStatus.CONFLICT, what + " already exists");
    }
}
