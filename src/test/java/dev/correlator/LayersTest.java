package dev.correlator;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The packages' dependencies, read from the compiled classes. */
@AnalyzeClasses(packages = "dev.correlator", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("dev.correlator.(*)..").should().beFreeOfCycles();

    /**
     * A delivery goes one way: the intake (webhook) hands it to the projectors (change,
     * identity), whose rows the model writers (model) write through db. Nothing below looks up.
     * The readers (api) stand apart: they read the model and may start intake work (an
     * operator's replay), but nothing depends on them.
     */
    @ArchTest
    static final ArchRule intakeProjectionModelDatabase = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Intake")
            .definedBy("dev.correlator.webhook..")
            .layer("Projection")
            .definedBy("dev.correlator.change..", "dev.correlator.identity..")
            .layer("Model writers")
            .definedBy("dev.correlator.model..")
            .layer("Database")
            .definedBy("dev.correlator.db..")
            .layer("Readers")
            .definedBy("dev.correlator.api..")
            .whereLayer("Intake")
            .mayOnlyBeAccessedByLayers("Readers")
            .whereLayer("Projection")
            .mayOnlyBeAccessedByLayers("Intake", "Readers")
            .whereLayer("Model writers")
            .mayOnlyBeAccessedByLayers("Intake", "Projection")
            .whereLayer("Readers")
            .mayNotBeAccessedByAnyLayer();
}
