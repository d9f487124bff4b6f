package io.pinhole.proxy.conference;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Conference rooms ({@code pinhole.conference.*}).
 *
 * @param adhocPrefix  a Request-URI user of a served domain that starts with this (and has more
 *                     after it) opens a room of that name on its first call, without a PIN; empty
 *                     (the default) = only rooms created through the admin API exist
 * @param lobbyTimeout how long a party of a PIN room may stay in the lobby before it is hung up
 * @param lobbyPoll    how often the relay is asked whether a party in the lobby keyed its PIN
 */
@ConfigurationProperties("pinhole.conference")
public record ConferenceProperties(@DefaultValue("") String adhocPrefix,
                                   @DefaultValue("60s") Duration lobbyTimeout,
                                   @DefaultValue("250ms") Duration lobbyPoll) {

    public ConferenceProperties {
        if (adhocPrefix == null) {
            adhocPrefix = "";
        }
        if (!adhocPrefix.isEmpty() && !RoomNames.validName(adhocPrefix)) {
            throw new IllegalArgumentException("pinhole.conference.adhoc-prefix may hold letters, digits and . _ ~ + -"
                    + " only (at most 64), was '" + adhocPrefix + "'");
        }
        if (adhocPrefix.length() > 64) {
            throw new IllegalArgumentException("pinhole.conference.adhoc-prefix is longer than 64 characters");
        }
        if (lobbyTimeout == null || lobbyTimeout.compareTo(Duration.ofSeconds(1)) < 0
                || lobbyTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("pinhole.conference.lobby-timeout must be between 1s and 1h, was "
                    + lobbyTimeout);
        }
        if (lobbyPoll == null || lobbyPoll.compareTo(Duration.ofMillis(50)) < 0
                || lobbyPoll.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("pinhole.conference.lobby-poll must be between 50ms and 5s, was "
                    + lobbyPoll);
        }
    }
}
