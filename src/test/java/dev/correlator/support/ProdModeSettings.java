package dev.correlator.support;

import java.util.HashMap;
import java.util.Map;

/**
 * What an operator sets for the packaged App in prod mode, where the test profile's settings do
 * not apply: the database, a webhook secret (required in prod) and an API token. GitHub is the
 * fake one, with a key made for the run.
 */
public class ProdModeSettings extends FakeGitHub {

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = new HashMap<>(super.start());
        settings.put("quarkus.datasource.jdbc.url", Database.URL);
        settings.put("quarkus.github-app.webhook-secret", Webhooks.SECRET);
        settings.put("correlator.api.tokens", "test-api-token");
        settings.put("quarkus.flyway.clean-at-start", "true");
        return settings;
    }
}
