package io.pinhole.relay.conference;

/**
 * The relay's conference limits ({@code pinhole.relay.conference-*}).
 *
 * @param maxParties   ceiling of parties per room (a join's {@code max-parties} may only lower it)
 * @param maxRooms     rooms at once on this relay
 * @param jitterFrames frames buffered per party before it is mixed
 */
public record ConferenceSettings(int maxParties, int maxRooms, int jitterFrames) {

    public ConferenceSettings {
        if (maxParties < 2 || maxRooms < 1 || jitterFrames < 1) {
            throw new IllegalArgumentException("conference settings out of range: " + maxParties + " parties, "
                    + maxRooms + " rooms, " + jitterFrames + " jitter frames");
        }
    }
}
