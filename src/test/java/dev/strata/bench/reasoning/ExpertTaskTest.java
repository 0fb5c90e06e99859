package dev.strata.bench.reasoning;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.strata.search.ExpertIteration;
import dev.strata.search.PassRates;
import dev.strata.search.ProblemSource;
import dev.strata.search.SamplePool;
import dev.strata.tasks.countdown.Countdown;
import dev.strata.tasks.countdown.CountdownData;
import dev.strata.tasks.countdown.CountdownGenerator;
import dev.strata.tasks.sudoku.SudokuData;
import dev.strata.tasks.sudoku.SudokuGenerator;
import dev.strata.tasks.sudoku.SudokuGrid;
import dev.strata.tasks.sudoku.SudokuTraining;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expert iteration never reads a generated solution: the loop and the tasks' wiring call nothing
 * that hands one out, and what the wiring hands the loop is a bare problem.
 */
class ExpertTaskTest {

  @Test
  void theLoopAndItsWiringCallNothingThatHandsOutASolution() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.strata");
    noClasses()
        .that()
        .belongToAnyOf(ExpertIteration.class, ExpertTask.class, SamplePool.class, PassRates.class)
        .should()
        .callMethod(CountdownGenerator.Generated.class, "solution")
        .orShould()
        .callMethod(SudokuGenerator.Generated.class, "solution")
        .orShould()
        .callMethod(CountdownData.Example.class, "reference")
        .orShould()
        .callMethod(SudokuData.Example.class, "solution")
        .orShould()
        .callMethod(CountdownData.class, "examples", long.class)
        .orShould()
        .callMethod(SudokuTraining.class, "examples", List.class, long.class, boolean.class)
        .check(classes);
  }

  @Test
  void theTrainingProblemsAreBareProblemsApartFromTheHeldOutOnes(@TempDir Path dir)
      throws Exception {
    assertThat(Arrays.stream(Countdown.class.getRecordComponents()).map(RecordComponent::getName))
        .containsExactly("numbers", "target");
    assertThat(SudokuGrid.class.isRecord()).isFalse();
    assertThat(
            Arrays.stream(SudokuGrid.class.getDeclaredFields())
                .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers()))
                .map(f -> f.getName()))
        .containsExactly("cells");

    Path heldOut = dir.resolve("cd4.jsonl");
    Files.writeString(heldOut, "{\"input\": \"58,11,80,83,81\", \"output\": \"\"}\n");
    ExpertIteration.Task<Countdown, String> t =
        ExpertTask.countdown(1, ExpertSearch.BEST_OF, heldOut, 0);
    ProblemSource<Countdown> problems = t.problems();
    Set<Countdown> drawn = new HashSet<>();
    for (long i = 0; i < 200; i++) drawn.add(problems.problem(i));
    assertThat(drawn).as("distinct generated problems").hasSizeGreaterThan(190);
    // the supervised proposer's data stream (seed 1) draws other problems
    var supervised = CountdownData.examples(1);
    var codec = new dev.strata.tasks.countdown.CountdownCodec();
    int same = 0;
    for (long i = 0; i < 200; i++) {
      if (Arrays.equals(supervised.example(i).prompt(), codec.prompt(problems.problem(i)))) same++;
    }
    assertThat(same).isZero();
  }
}
