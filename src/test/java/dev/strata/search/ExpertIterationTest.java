package dev.strata.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.energy.Energy;
import dev.strata.nn.Ops;
import dev.strata.propose.ArTraining;
import dev.strata.propose.CausalLm;
import dev.strata.propose.LmConfig;
import dev.strata.propose.SequenceCodec;
import dev.strata.train.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Expert iteration on a toy task: a number 0..99 is the problem, the valid answer is one digit,
 * (last digit + 3) mod 10. No supervised data exists: the proposer starts untrained and learns only
 * from its own samples the rule energy accepts.
 */
class ExpertIterationTest {
  static final String TASK = "toy";

  /** Prompt: the two digits and a separator; answer: one digit. */
  static final class ToyCodec implements SequenceCodec<Integer, Integer> {
    @Override
    public int vocab() {
      return 12;
    }

    @Override
    public long[] prompt(Integer n) {
      return new long[] {n / 10, n % 10, 11};
    }

    @Override
    public int answerLength(Integer n) {
      return 1;
    }

    @Override
    public long[] answer(Integer n, Integer x) {
      return new long[] {x};
    }

    @Override
    public Integer decode(Integer n, long[] answer) {
      return (int) answer[0];
    }

    @Override
    public long fixed(Integer n, Integer partial, int t) {
      return -1;
    }
  }

  static int valid(int n) {
    return (n % 10 + 3) % 10;
  }

  /** The rule energy: 0 for the valid digit, 1 otherwise. */
  static final Energy<Integer, Integer> RULES =
      (n, xs) -> {
        float[] e = new float[xs.size()];
        for (int i = 0; i < e.length; i++) e[i] = xs.get(i) == valid(n) ? 0 : 1;
        return e;
      };

  /** A generator that pairs each problem with a solution the rules reject (poisoned). */
  record Generated(int problem, int solution) {}

  static Generated generate(long i) {
    int n = new SplittableRandom(i * 0x9E3779B97F4A7C15L + 17).nextInt(90); // 0..89
    return new Generated(n, (valid(n) + 5) % 10);
  }

  /** Held out: 90..99, never drawn for training, and 42, which the loop must leave out. */
  static final List<Integer> HELD_OUT = List.of(90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 42);

  static ExpertIteration.Task<Integer, Integer> task() {
    ProblemSource<Integer> problems = i -> generate(i).problem(); // only the problem is handed on
    return new ExpertIteration.Task<>(
        TASK, new ToyCodec(), problems, HELD_OUT, RULES, RULES, seed -> new BestOfN<>(1, seed));
  }

  static ExpertIteration.Config config(int rounds) {
    return new ExpertIteration.Config(
        TASK, rounds, 30, 8, 1.0, 8, "best-of", ExpertIteration.Start.BASE, 8, 16, 1e-2, 8, 3);
  }

  /** An untrained tiny proposer saved as a checkpoint of the toy task. */
  static Path untrained(Path dir) {
    LmConfig lm = new LmConfig("transformer", 12, 32, "A", 2, 64, 32, 2, 64, 4);
    Ops.seed(5);
    CausalLm model = new CausalLm(lm);
    String spec =
        JsonMapper.builder().build().writeValueAsString(new ArTraining.ModelSpec(TASK, lm, 0));
    Path root = dir.resolve("base").resolve("checkpoints");
    Checkpoint.save(
        root, model, null, null, new Checkpoint.State(0, spec, null, 0, Map.of(), 0), 1);
    return dir.resolve("base");
  }

  static ExpertIteration.Result run(Path base, Path out, int rounds, boolean resume) {
    List<String> log = new ArrayList<>();
    return new ExpertIteration<>(config(rounds), task(), false).run(base, out, resume, log::add);
  }

  @Test
  void anUntrainedProposerLearnsFromItsOwnVerifiedSamplesAndNeverFromASolution(@TempDir Path dir)
      throws Exception {
    Path base = untrained(dir);
    ExpertIteration.Result r = run(base, dir.resolve("out"), 3, false);
    List<ExpertRound> rounds = r.rounds();
    assertThat(rounds).hasSize(4);
    double before = rounds.get(0).heldOut().pass1();
    double after = rounds.get(3).heldOut().pass1();
    assertThat(after)
        .as("held-out pass@1 before %.2f, after %.2f", before, after)
        .isGreaterThanOrEqualTo(before + 0.5);
    assertThat(rounds.get(1).accepted()).isPositive();
    assertThat(rounds.stream().mapToInt(ExpertRound::skipped).sum())
        .as("training problems equal to a held-out one, left out")
        .isPositive();
    // every answer trained on is the proposer's own and valid; none is the generator's (poisoned)
    // solution
    for (int k = 1; k <= 3; k++) {
      for (ArTraining.Example e :
          ExpertRoundFiles.read(dir.resolve("out"), k, config(3)).accepted()) {
        int n = (int) (e.prompt()[0] * 10 + e.prompt()[1]);
        assertThat(n).isNotEqualTo(42);
        assertThat(e.answer()[0]).isEqualTo(valid(n)).isNotEqualTo((valid(n) + 5) % 10);
      }
    }
    assertThat(Files.readString(r.json())).contains("\"provenance\"").contains("\"rounds\"");
  }

  @Test
  void resumingAfterARoundEqualsRunningThrough(@TempDir Path dir) throws Exception {
    Path base = untrained(dir);
    ExpertIteration.Result through = run(base, dir.resolve("a"), 2, false);
    run(base, dir.resolve("b"), 1, false);
    ExpertIteration.Result resumed = run(base, dir.resolve("b"), 2, true);
    for (int k = 0; k <= 2; k++) {
      ExpertRound x = through.rounds().get(k);
      ExpertRound y = resumed.rounds().get(k);
      assertThat(y.heldOut()).isEqualTo(x.heldOut());
      assertThat(List.of(y.accepted(), y.examples(), y.steps()))
          .isEqualTo(List.of(x.accepted(), x.examples(), x.steps()));
    }
    Path a = Checkpoint.resolve(dir.resolve("a/round-002/checkpoints"));
    Path b = Checkpoint.resolve(dir.resolve("b/round-002/checkpoints"));
    assertThat(Files.readAllBytes(b.resolve(Checkpoint.MODEL_FILE)))
        .isEqualTo(Files.readAllBytes(a.resolve(Checkpoint.MODEL_FILE)));
  }

  @Test
  void aChangedRoundFileOrAnUsedDirectoryIsRefusedInOneLine(@TempDir Path dir) throws Exception {
    Path base = untrained(dir);
    Path out = dir.resolve("out");
    run(base, out, 1, false);
    assertThatThrownBy(() -> run(base, out, 2, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--resume");
    Path f = ExpertRoundFiles.file(out, 1);
    String text = Files.readString(f, StandardCharsets.UTF_8);
    int at = text.indexOf("\"answer\" : [ ") + "\"answer\" : [ ".length();
    char digit = text.charAt(at);
    Files.writeString(
        f,
        text.substring(0, at) + (char) (digit == '9' ? '8' : digit + 1) + text.substring(at + 1));
    assertThatThrownBy(() -> run(base, out, 2, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("corrupt")
        .hasMessageContaining(f.toString())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    Files.writeString(f, text.substring(0, text.length() / 2));
    assertThatThrownBy(() -> run(base, out, 2, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("corrupt");
  }
}
