package io.pinhole.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

/** Which fork's 2xx connects the call, and which forks are cancelled then. */
class WinnerElectionTest {

    private final Branch first = fork();
    private final Branch second = fork();
    private final Branch third = fork();

    @Test
    void firstAnswerWinsAndTheOpenForksLose() {
        WinnerElection.Election election = WinnerElection.elect(second, Call.State.EARLY, null,
                List.of(first, second, third));
        assertThat(election.won()).isTrue();
        assertThat(election.losers()).containsExactly(first, third);
    }

    @Test
    void forksAlreadyDoneAreNotCancelledAgain() {
        first.done = true; // failed, or cancelled by the caller
        WinnerElection.Election election = WinnerElection.elect(third, Call.State.EARLY, null,
                List.of(first, second, third));
        assertThat(election.won()).isTrue();
        assertThat(election.losers()).containsExactly(second);
    }

    @Test
    void onlyForkWinsWithNoLosers() {
        WinnerElection.Election election = WinnerElection.elect(first, Call.State.ROUTING, null, List.of(first));
        assertThat(election).isEqualTo(new WinnerElection.Election(true, List.of()));
    }

    @Test
    void secondAnswerLoses() {
        WinnerElection.Election election = WinnerElection.elect(second, Call.State.ANSWERED, first,
                List.of(first, second, third));
        assertThat(election).isEqualTo(new WinnerElection.Election(false, List.of()));
    }

    @Test
    void answerAfterTheCallerGaveUpLoses() {
        WinnerElection.Election election = WinnerElection.elect(first, Call.State.ENDED, null,
                List.of(first, second));
        assertThat(election).isEqualTo(new WinnerElection.Election(false, List.of()));
    }

    /** The election reads only a fork's identity and whether it is done. */
    private static Branch fork() {
        return new Branch(null, null, null, null, null);
    }
}
