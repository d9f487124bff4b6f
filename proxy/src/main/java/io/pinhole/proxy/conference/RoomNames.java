package io.pinhole.proxy.conference;

import java.util.regex.Pattern;

/** What a room's name, PIN and cap may be: the checks the admin API and the table share. */
final class RoomNames {

    /** As a user name (a room is dialled like one). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._~+-]{1,128}");
    private static final Pattern PIN = Pattern.compile("[0-9]{1,16}");
    static final int MIN_PARTIES = 2;
    static final int MAX_PARTIES = 1000;

    private RoomNames() {
    }

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static boolean validPin(String pin) {
        return pin != null && PIN.matcher(pin).matches();
    }

    static boolean validMaxParties(Integer max) {
        return max == null || max >= MIN_PARTIES && max <= MAX_PARTIES;
    }
}
