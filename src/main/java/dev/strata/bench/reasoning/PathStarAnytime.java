package dev.strata.bench.reasoning;

import dev.strata.energy.LearnedEnergy;
import dev.strata.energy.ResidualEnergyTraining;
import dev.strata.propose.ArProposer;
import dev.strata.propose.ArTraining;
import dev.strata.propose.Proposer;
import dev.strata.tasks.pathstar.PathStar;
import dev.strata.tasks.pathstar.PathStarCodec;
import dev.strata.tasks.pathstar.PathStarConstraints;
import dev.strata.tasks.pathstar.PathStarData;
import dev.strata.tasks.pathstar.PathStarRules;
import dev.strata.tasks.pathstar.UniformPathStarProposer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Path-star for {@code strata bench anytime}: the published D=2, L=5 and D=5, L=3 test files, the
 * first {@code --limit} lines of each, as two sets; a path is correct when the rules accept it. The
 * AR proposer samples under the graph mask (every step follows an edge), the knowledge the uniform
 * proposer's walk has too; the complete search's moves are the edges, with either energy. The
 * energy learned for path-star needs the node count, read off the AR checkpoint's vocabulary (50
 * nodes, the published files', when no AR checkpoint is given).
 */
final class PathStarAnytime implements AnytimeTask<PathStar, int[]> {
  private static final List<String> FILES =
      List.of("deg_2_path_5_nodes_50_test_20000.txt", "deg_5_path_3_nodes_50_test_20000.txt");
  private static final String NOT_HERE = "path-star has none";
  private int nodes = 50;

  @Override
  public ReasoningTask task() {
    return ReasoningTask.PATHSTAR;
  }

  @Override
  public List<ProblemSet<PathStar>> sets(Path data, int limit) {
    List<ProblemSet<PathStar>> out = new ArrayList<>();
    for (String f : FILES) {
      var all = PathStarData.load(data.resolve("path-star-bachmann").resolve(f));
      out.add(
          new ProblemSet<>(
              f,
              all.subList(0, Math.min(limit, all.size())).stream()
                  .map(PathStar.Example::problem)
                  .toList()));
    }
    return out;
  }

  @Override
  public boolean correct(PathStar problem, int[] answer) {
    return PathStarRules.solves(problem, answer);
  }

  @Override
  public Proposer<PathStar, int[]> uniform() {
    return new UniformPathStarProposer();
  }

  @Override
  public Proposer<PathStar, int[]> ar(Path checkpoint) {
    ArTraining.Loaded m = ArTraining.load(checkpoint, "pathstar");
    nodes = m.spec().lm().vocab() - 2;
    return new ArProposer<>(
        m.model(), new PathStarCodec(nodes), ArProposer.Decoding.sampling(1.0, true));
  }

  @Override
  public Proposer<PathStar, int[]> diffusion(Path checkpoint) {
    return null;
  }

  @Override
  public String arDecoding() {
    return "temperature 1, graph mask";
  }

  @Override
  public EnergySetup<PathStar, int[]> rule() {
    PathStarRules rules = new PathStarRules();
    return new EnergySetup<>(
        rules, 0, new Complete<>(new PathStarConstraints(), rules, 0), null, null, missing());
  }

  @Override
  public EnergySetup<PathStar, int[]> learned(Path checkpoint) {
    var l = ResidualEnergyTraining.load(checkpoint, PathStarEbm.TASK);
    PathStarCodec codec = new PathStarCodec(nodes);
    var energy = l.energy(LearnedEnergy.Encoder.of(codec::prompt, codec::answer));
    double accept = l.calibration().acceptBelow();
    return new EnergySetup<>(
        energy,
        accept,
        new Complete<>(new PathStarConstraints(), energy, accept),
        null,
        null,
        missing());
  }

  private static Map<AnytimeSearch, String> missing() {
    return Map.of(
        AnytimeSearch.MIN_CONFLICT, "single-site moves: " + NOT_HERE,
        AnytimeSearch.GIBBS, "single-site moves: " + NOT_HERE,
        AnytimeSearch.REMASK, "a remasking: " + NOT_HERE);
  }
}
