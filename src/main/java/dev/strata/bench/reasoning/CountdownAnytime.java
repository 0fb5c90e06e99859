package dev.strata.bench.reasoning;

import dev.strata.energy.LearnedEnergy;
import dev.strata.energy.ResidualEnergyTraining;
import dev.strata.propose.ArProposer;
import dev.strata.propose.ArTraining;
import dev.strata.propose.DiffusionProposer;
import dev.strata.propose.DiffusionProposerTraining;
import dev.strata.propose.Proposer;
import dev.strata.tasks.countdown.Countdown;
import dev.strata.tasks.countdown.CountdownCodec;
import dev.strata.tasks.countdown.CountdownConstraints;
import dev.strata.tasks.countdown.CountdownData;
import dev.strata.tasks.countdown.CountdownRemasking;
import dev.strata.tasks.countdown.CountdownRules;
import dev.strata.tasks.countdown.UniformCountdownProposer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Countdown-4 for {@code strata bench anytime}: {@code cd4_test.jsonl}; an answer is correct when
 * the rules verify it reaches the target. The complete search's moves are valid steps by
 * construction (with either energy: the energy only judges which leaf hits the target); there are
 * no single-site moves.
 */
final class CountdownAnytime implements AnytimeTask<Countdown, String> {
  private static final String NO_MOVES =
      "Countdown has no single-site moves (an answer's characters are not independent sites)";

  @Override
  public ReasoningTask task() {
    return ReasoningTask.COUNTDOWN;
  }

  @Override
  public List<ProblemSet<Countdown>> sets(Path data, int limit) {
    List<Countdown> all =
        CountdownData.load(data.resolve("countdown-cd4/cd4_test.jsonl")).stream()
            .map(CountdownData.Example::problem)
            .toList();
    return List.of(new ProblemSet<>("cd4_test.jsonl", all.subList(0, Math.min(limit, all.size()))));
  }

  @Override
  public boolean correct(Countdown problem, String answer) {
    return CountdownRules.solves(problem, answer);
  }

  @Override
  public Proposer<Countdown, String> uniform() {
    return new UniformCountdownProposer();
  }

  @Override
  public Proposer<Countdown, String> ar(Path checkpoint) {
    ArTraining.Loaded m = ArTraining.load(checkpoint, "countdown");
    return new ArProposer<>(
        m.model(), new CountdownCodec(), ArProposer.Decoding.sampling(1.0, false));
  }

  @Override
  public Proposer<Countdown, String> diffusion(Path checkpoint) {
    var d = DiffusionProposerTraining.load(checkpoint, "countdown");
    int length = CountdownCodec.PROMPT_CHARS + 1 + CountdownCodec.ANSWER_LENGTH;
    return DiffusionProposer.easyFirst(
        d.model(),
        new CountdownCodec(),
        length,
        CountdownCodec.ANSWER_LENGTH,
        1.0,
        AnytimeSearch.BATCH);
  }

  @Override
  public String arDecoding() {
    return "temperature 1, no mask";
  }

  @Override
  public EnergySetup<Countdown, String> rule() {
    CountdownRules rules = new CountdownRules();
    return new EnergySetup<>(
        rules,
        0,
        new Complete<>(new CountdownConstraints(), rules, 0),
        null,
        new CountdownRemasking(),
        Map.of(AnytimeSearch.MIN_CONFLICT, NO_MOVES, AnytimeSearch.GIBBS, NO_MOVES));
  }

  @Override
  public EnergySetup<Countdown, String> learned(Path checkpoint) {
    var l = ResidualEnergyTraining.load(checkpoint, CountdownEbm.TASK);
    CountdownCodec codec = new CountdownCodec();
    var energy = l.energy(LearnedEnergy.Encoder.of(codec::prompt, codec::answer));
    double accept = l.calibration().acceptBelow();
    return new EnergySetup<>(
        energy,
        accept,
        new Complete<>(new CountdownConstraints(), energy, accept),
        null,
        null,
        Map.of(
            AnytimeSearch.MIN_CONFLICT,
            NO_MOVES,
            AnytimeSearch.GIBBS,
            NO_MOVES,
            AnytimeSearch.REMASK,
            "remask repair's blame is the rules' first faulty step; the learned energy names none"));
  }
}
