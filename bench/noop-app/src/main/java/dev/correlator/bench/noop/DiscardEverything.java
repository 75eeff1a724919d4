package dev.correlator.bench.noop;

import io.quarkiverse.githubapp.GitHubEvent;
import io.quarkiverse.githubapp.event.RawEvent;

/**
 * The framework's ceiling: quarkus-github-app's own webhook route (signature check, parse,
 * dispatch) with one listener that accepts every event and does nothing with it.
 */
public class DiscardEverything {

    void onEvent(@RawEvent GitHubEvent event) {
        // Accept and discard.
    }
}
