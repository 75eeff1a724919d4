package dev.correlator;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

@OpenAPIDefinition(
        info =
                @Info(
                        title = "Change correlator",
                        version = "v1",
                        description =
                                "Which change, from which developer, caused this? Commit, branch, pull request and developer "
                                        + "mappings recorded from GitHub webhooks."))
@SecurityScheme(
        securitySchemeName = "bearer",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description = "One of correlator.api.tokens")
public class CorrelatorApplication extends Application {}
