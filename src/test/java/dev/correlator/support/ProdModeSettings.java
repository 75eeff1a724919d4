package dev.correlator.support;

import java.util.HashMap;
import java.util.Map;

/**
 * What an operator sets for the packaged App in prod mode, where the test profile's settings do
 * not apply: the database, a webhook secret (required in prod), an API token and where spans go.
 * GitHub is the fake one, with a key made for the run; the OTLP backend is the test's receiver.
 */
public class ProdModeSettings extends FakeGitHub {

    private final OtlpReceiver receiver = new OtlpReceiver();

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = new HashMap<>(super.start());
        settings.putAll(receiver.start());
        settings.put("correlator.telemetry.access-token", "prod-lightstep-token");
        settings.put("quarkus.datasource.jdbc.url", Database.URL);
        settings.put("quarkus.github-app.webhook-secret", Webhooks.SECRET);
        settings.put("correlator.api.tokens", "test-api-token");
        settings.put("quarkus.flyway.clean-at-start", "true");
        return settings;
    }

    @Override
    public void stop() {
        receiver.stop();
        super.stop();
    }
}
