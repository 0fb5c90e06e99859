package dev.strata;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of the README's Layout section, checked on the compiled main classes: {@code
 * cli → {bench, serve} → tasks → world → search → {propose, energy} → train → nn}, with {@code
 * report} used only by {@code cli} and {@code bench}.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.strata");
  }

  @Test
  void layersDependDownwardOnly() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("nn")
        .definedBy("dev.strata.nn..")
        .layer("train")
        .definedBy("dev.strata.train..")
        .layer("propose")
        .definedBy("dev.strata.propose..")
        .layer("energy")
        .definedBy("dev.strata.energy..")
        .layer("search")
        .definedBy("dev.strata.search..")
        .layer("world")
        .definedBy("dev.strata.world..")
        .layer("tasks")
        .definedBy("dev.strata.tasks..")
        .layer("bench")
        .definedBy("dev.strata.bench..")
        .optionalLayer("serve")
        .definedBy("dev.strata.serve..")
        .layer("report")
        .definedBy("dev.strata.report..")
        .layer("cli")
        .definedBy("dev.strata.cli..")
        .whereLayer("nn")
        .mayNotAccessAnyLayer()
        .whereLayer("train")
        .mayOnlyAccessLayers("nn")
        .whereLayer("propose")
        .mayOnlyAccessLayers("train", "nn")
        .whereLayer("energy")
        .mayOnlyAccessLayers("train", "nn")
        .whereLayer("search")
        .mayOnlyAccessLayers("propose", "energy", "train", "nn")
        .whereLayer("world")
        .mayOnlyAccessLayers("search", "propose", "energy", "train", "nn")
        .whereLayer("tasks")
        .mayOnlyAccessLayers("world", "search", "propose", "energy", "train", "nn")
        .whereLayer("bench")
        .mayOnlyAccessLayers(
            "tasks", "world", "search", "propose", "energy", "train", "nn", "report")
        .whereLayer("serve")
        .mayOnlyAccessLayers("tasks", "world", "search", "propose", "energy", "train", "nn")
        .whereLayer("report")
        .mayOnlyBeAccessedByLayers("cli", "bench")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .check(classes);
  }

  @Test
  void topLevelPackagesHaveNoCycles() {
    slices().matching("dev.strata.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void proposeAndEnergyNeverImportEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.strata.propose..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.strata.energy..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("dev.strata.energy..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.strata.propose..")
        .check(classes);
  }

  @Test
  void onlyCliAndBenchUseReport() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.strata.cli..", "dev.strata.bench..", "dev.strata.report..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.strata.report..")
        .check(classes);
  }

  @Test
  void nothingOutsideCliUsesCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.strata.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.strata.cli..")
        .check(classes);
  }

  @Test
  void noTaskReachesIntoAnother() {
    slices().matching("dev.strata.tasks.(*)..").should().notDependOnEachOther().check(classes);
  }

  /**
   * JavaCPP belongs to nn and train: every other package speaks {@code dev.strata.nn.Tensor}, the
   * facade over libtorch's tensor, and never names an {@code org.bytedeco} type (arrays included).
   */
  @Test
  void javacppStaysInNnAndTrain() {
    JAVACPP_STAYS_IN_NN_AND_TRAIN.check(classes);
  }

  /** The rule above bites: a class outside nn/train that holds a JavaCPP tensor array breaks it. */
  @Test
  void javacppRuleCatchesAJavacppDependency() {
    JavaClasses offender = new ClassFileImporter().importClasses(HoldsJavacppTensors.class);
    assertThat(JAVACPP_STAYS_IN_NN_AND_TRAIN.evaluate(offender).hasViolation()).isTrue();
  }

  /** A JavaCPP class ({@code org.bytedeco..}) or an array of one. */
  private static final DescribedPredicate<JavaClass> JAVACPP =
      DescribedPredicate.describe(
          "a JavaCPP type (org.bytedeco..) or an array of one",
          c -> c.getBaseComponentType().getPackageName().startsWith("org.bytedeco"));

  private static final ArchRule JAVACPP_STAYS_IN_NN_AND_TRAIN =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.strata.nn..", "dev.strata.train..")
          .should()
          .dependOnClassesThat(JAVACPP);

  /** A fixture outside nn/train (this test's package) that depends on JavaCPP. */
  @SuppressWarnings("unused")
  private static final class HoldsJavacppTensors {
    private org.bytedeco.pytorch.Tensor[] tensors;
  }
}
