package dev.correlator.outbox;

/** The work can never succeed (the pull request or repository is gone): record it, don't retry. */
public class GiveUp extends RuntimeException {

    public GiveUp(String reason) {
        super(reason);
    }
}
