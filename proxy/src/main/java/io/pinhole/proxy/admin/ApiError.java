package io.pinhole.proxy.admin;

/** The body of every admin API error. */
public record ApiError(int status, String message) {
}
