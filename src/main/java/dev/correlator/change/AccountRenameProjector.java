package dev.correlator.change;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.correlator.model.ModelRows;
import dev.correlator.model.Rows;
import dev.correlator.payload.GitHubPayloads.InstallationTargetEvent;
import dev.correlator.payload.ReceivedDelivery;

import static dev.correlator.change.DeliveryProjector.require;

/**
 * The organization or user the App is installed on was renamed ({@code installation_target}):
 * the installation's account and its repositories' names follow, so the API answers under the
 * new name and no longer under the old one, which anyone may now take on GitHub.
 */
@ApplicationScoped
public class AccountRenameProjector implements DeliveryProjector<InstallationTargetEvent, Void> {

    @Override
    public Set<String> events() {
        return Set.of("installation_target");
    }

    @Override
    public Class<InstallationTargetEvent> payloadType() {
        return InstallationTargetEvent.class;
    }

    @Override
    public void validate(String event, InstallationTargetEvent payload) {
        require(payload.action(), "action");
        require(payload.installation(), "installation");
        require(payload.installation().id(), "installation.id");
        if ("renamed".equals(payload.action())) {
            require(payload.account(), "account");
            require(payload.account().id(), "account.id");
            require(payload.account().login(), "account.login");
            require(payload.changes(), "changes");
            require(payload.changes().login(), "changes.login");
            require(payload.changes().login().from(), "changes.login.from");
        }
    }

    @Override
    public String ignoredBecause(String event, InstallationTargetEvent payload) {
        return "renamed".equals(payload.action()) ? null : "only a rename changes what the App records";
    }

    @Override
    public Void prefetch(List<InstallationTargetEvent> payloads, BatchReads reads) {
        return null;
    }

    @Override
    public ModelRows project(ReceivedDelivery delivery, InstallationTargetEvent event, Void nothing) {
        String login = event.account().login();
        return new ModelRows()
                .add(new Rows.InstallationAccountRenamed(event.account().id(), login))
                .add(new Rows.RepositoryOwnerRenamed(
                        event.account().id(),
                        event.installationId(),
                        event.changes().login().from(),
                        login));
    }
}
