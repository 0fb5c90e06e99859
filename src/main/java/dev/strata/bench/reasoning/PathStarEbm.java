package dev.strata.bench.reasoning;

import dev.strata.energy.CrossEncoderConfig;
import dev.strata.energy.LearnedEnergy;
import dev.strata.energy.ResidualEnergyTraining;
import dev.strata.tasks.pathstar.PathStar;
import dev.strata.tasks.pathstar.PathStarCodec;
import dev.strata.tasks.pathstar.PathStarGenerator;
import dev.strata.tasks.pathstar.PathStarRules;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The path-star learned energy's task ({@code strata train reasoning --task pathstar-ebm}):
 * generated graphs (node ids below {@code nodes}) of the given settings, problem i from setting i
 * mod their count; near misses of the true path are the path along another arm (what the complete
 * search must tell apart) or the path with one node replaced by another id.
 *
 * @param settings {degree, pathLength} pairs
 * @param net the cross-encoder's shape
 */
public record PathStarEbm(int nodes, List<int[]> settings, CrossEncoderConfig net, long seed)
    implements ResidualEnergyTraining.Task<PathStar, int[]> {
  public static final String TASK = "pathstar-ebm";

  public PathStarEbm {
    if (settings.isEmpty())
      throw new IllegalArgumentException(
          "path-star energy training needs at least one {degree, length} setting");
    settings = List.copyOf(settings);
  }

  /**
   * Both published settings, D=2 L=5 and D=5 L=3 over node ids 0..49, one model: width 64, 3
   * bidirectional blocks over edges, '/', start, goal, '=', the separator and the path.
   */
  public static PathStarEbm published(long seed) {
    return new PathStarEbm(
        50,
        List.of(new int[] {2, 5}, new int[] {5, 3}),
        new CrossEncoderConfig(52, 64, 16, 64, 4, 3),
        seed);
  }

  @Override
  public String name() {
    return TASK;
  }

  @Override
  public LearnedEnergy.Encoder<PathStar, int[]> encoder() {
    return LearnedEnergy.Encoder.of(codec()::prompt, codec()::answer);
  }

  /** The task's token codec (its prompt and answer streams are what the energy reads). */
  public PathStarCodec codec() {
    return new PathStarCodec(nodes);
  }

  @Override
  public ResidualEnergyTraining.Example<PathStar, int[]> generate(long index) {
    int[] s = settings.get((int) Math.floorMod(index, (long) settings.size()));
    PathStar.Example e =
        PathStarGenerator.generate(
            s[0], s[1], nodes, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index));
    return new ResidualEnergyTraining.Example<>(e.problem(), e.path());
  }

  @Override
  public int[] perturb(PathStar p, int[] path, SplittableRandom rng) {
    if (p.degree() > 1 && rng.nextBoolean()) {
      int[] arms = p.children(p.start());
      int first;
      do first = arms[rng.nextInt(arms.length)];
      while (first == path[1]);
      return arm(p, first);
    }
    int[] out = path.clone();
    int at = rng.nextInt(out.length);
    int v;
    do v = rng.nextInt(nodes);
    while (v == path[at]);
    out[at] = v;
    return out;
  }

  /** The path from the start along the arm whose first node is {@code first}. */
  public static int[] arm(PathStar p, int first) {
    int[] out = new int[p.pathLength()];
    out[0] = p.start();
    out[1] = first;
    for (int i = 2; i < out.length; i++) {
      int[] next = p.children(out[i - 1]);
      out[i] = next.length == 0 ? -1 : next[0];
    }
    return out;
  }

  @Override
  public boolean correct(PathStar p, int[] candidate) {
    return PathStarRules.solves(p, candidate);
  }
}
