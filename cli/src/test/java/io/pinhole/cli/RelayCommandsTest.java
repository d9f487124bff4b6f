package io.pinhole.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RelayCommandsTest {

    @Test
    void theRelayListShowsTheMediaTransportsEachRelayAnnounced() throws Exception {
        var relays = new ObjectMapper().readTree("""
                [{"id":1,"name":"r1","controlHost":"10.0.0.5","controlPort":2223,"status":"up","activeCalls":3,
                  "weight":1,"lastError":null,"mediaTransports":["udp","tls","http"]},
                 {"id":2,"name":"r2","controlHost":"10.0.0.6","controlPort":2223,"status":"disabled","activeCalls":0,
                  "weight":1,"lastError":null,"mediaTransports":null}]""");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        RelayCommands.table(relays).print(new PrintStream(out, true, StandardCharsets.UTF_8));

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).startsWith("NAME").contains("MEDIA");
        assertThat(lines[1]).matches("r1\\s+10\\.0\\.0\\.5:2223\\s+up\\s+udp,tls,http\\s+3\\s+1\\s+-");
        assertThat(lines[2]).matches("r2\\s+10\\.0\\.0\\.6:2223\\s+disabled\\s+-\\s+0\\s+1\\s+-");
    }
}
