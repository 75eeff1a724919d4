package dev.correlator.http;

/**
 * The paths of the endpoints that take bodies from outside the API (GitHub's deliveries, the
 * Codespace reporter's events): named here, below the resources, because the body limits and
 * the API's audit treat them apart.
 */
public final class Routes {

    public static final String WEBHOOK = "/webhooks/github";
    public static final String CODESPACE_EVENTS = "/api/v1/codespaces/events";

    private Routes() {}
}
