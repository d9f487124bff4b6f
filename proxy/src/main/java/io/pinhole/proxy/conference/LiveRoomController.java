package io.pinhole.proxy.conference;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Conference rooms in progress on this proxy (from memory) and their parties. A room is named by
 * its id (name@domain), a party by its Call-ID, both URL-encoded in the path.
 */
@RestController
@RequestMapping(path = "/api/conferences", produces = MediaType.APPLICATION_JSON_VALUE)
public class LiveRoomController {

    private final LiveRooms rooms;

    LiveRoomController(LiveRooms rooms) {
        this.rooms = rooms;
    }

    @GetMapping
    List<LiveRoomView> list() {
        return rooms.rooms();
    }

    /** The party is no longer mixed into what the others hear (it still hears the room). */
    @PostMapping("/{room}/parties/{callId}/mute")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void mute(@PathVariable String room, @PathVariable String callId) {
        rooms.mute(room, callId, true);
    }

    @PostMapping("/{room}/parties/{callId}/unmute")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unmute(@PathVariable String room, @PathVariable String callId) {
        rooms.mute(room, callId, false);
    }

    /** BYE to the party with a Reason; its CDR outcome is admin-hangup. */
    @DeleteMapping("/{room}/parties/{callId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(@PathVariable String room, @PathVariable String callId) {
        rooms.remove(room, callId);
    }

    /** BYE to every party of the room. */
    @DeleteMapping("/{room}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void end(@PathVariable String room) {
        rooms.endRoom(room);
    }
}
