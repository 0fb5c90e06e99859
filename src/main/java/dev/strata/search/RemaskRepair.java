package dev.strata.search;

import dev.strata.energy.Energy;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.Arrays;
import java.util.List;

/**
 * Energy-guided remasking: start from a proposal, open again a random share of the positions the
 * energy blames ({@link Remasking}; at least one), plus a random fraction {@code extra} of the
 * other positions (more after each round without a new best, so a repair that keeps refilling the
 * same answer widens), and let the proposer {@link Proposer#complete} them — for a masked-diffusion
 * proposer the denoiser refills the masked positions given every kept token. {@code width}
 * completions per round; the lowest-energy one replaces the current candidate unless it is worse (a
 * descent: reopening only part of the blame lets good refills accumulate). After {@code patience}
 * rounds without a new best it restarts from a fresh proposal. The loop of Ye et al.'s easy-first
 * decoding with a verifier in the loop, and of ReMDM-style remasking (Wang et al. 2025), with the
 * blame taken from an exact energy instead of the model's confidence.
 *
 * @param remasking blame and re-masking of the candidate type
 * @param width completions per round (one proposer call)
 * @param share fraction of the blamed positions reopened per round (1: all of them)
 * @param extra fraction of the unblamed positions opened at random per round, times (1 + rounds
 *     since the best)
 * @param patience rounds without a new best energy before a restart
 * @param seed seed of the run's random source
 */
public record RemaskRepair<P, X>(
    Remasking<P, X> remasking, int width, double share, double extra, int patience, long seed)
    implements Search<P, X> {

  public RemaskRepair {
    if (width <= 0) throw new IllegalArgumentException("width must be positive, got " + width);
    if (!(share > 0) || share > 1)
      throw new IllegalArgumentException("share must lie in (0, 1], got " + share);
    if (extra < 0 || extra > 1)
      throw new IllegalArgumentException("extra must lie in [0, 1], got " + extra);
    if (patience <= 0)
      throw new IllegalArgumentException("patience must be positive, got " + patience);
  }

  @Override
  public Outcome<X> run(P problem, Proposer<P, X> proposer, Energy<P, X> energy, Budget budget) {
    return from(problem, null, proposer, energy, budget);
  }

  /**
   * {@link #run}, starting from {@code start} (e.g. a greedy answer already drawn) instead of a
   * first proposal.
   */
  public Outcome<X> from(
      P problem, X start, Proposer<P, X> proposer, Energy<P, X> energy, Budget budget) {
    RandomSource rng = new RandomSource(seed);
    BudgetMeter<P, X> meter = new BudgetMeter<>(budget);
    int[] all = remasking.positions(problem);
    X current = null;
    if (start != null) {
      meter.chargeProposals(1);
      meter.score(energy, problem, List.of(start));
      meter.endIteration();
      current = start;
    }
    float currentEnergy = meter.bestEnergy();
    int sinceBest = 0;
    while (!meter.shouldStop()) {
      if (current == null || sinceBest >= patience) {
        List<X> fresh = proposer.propose(problem, 1, rng);
        if (fresh.isEmpty()) break;
        current = fresh.get(0);
        meter.chargeProposals(1);
        currentEnergy = meter.score(energy, problem, List.of(current))[0];
        sinceBest = 0;
        meter.endIteration();
        continue;
      }
      int[] open =
          widen(
              part(remasking.blamed(problem, current), share, rng),
              all,
              extra * (1 + sinceBest),
              rng);
      if (open.length == 0) break; // nothing to reopen: the candidate has no position to change
      int n = (int) Math.min(width, Math.min(meter.proposalsLeft(), meter.evaluationsLeft()));
      List<X> refills = proposer.complete(problem, remasking.open(problem, current, open), n, rng);
      if (refills.isEmpty()) break;
      meter.chargeProposals(refills.size());
      float before = meter.bestEnergy();
      float[] e = meter.score(energy, problem, refills);
      int pick = 0;
      for (int i = 1; i < e.length; i++) if (e[i] < e[pick]) pick = i;
      if (e[pick] <= currentEnergy) {
        current = refills.get(pick);
        currentEnergy = e[pick];
      }
      sinceBest = meter.bestEnergy() < before ? 0 : sinceBest + 1;
      meter.endIteration();
    }
    return meter.outcome(energy, problem, Outcome.StopReason.EXHAUSTED);
  }

  /** What repairing many problems cost and how many reached the acceptance threshold. */
  public record Tally(int accepted, long proposals, long evaluations) {}

  /**
   * {@link #from} for each problem with its start candidate (the same budget each); the starts
   * count as proposals.
   */
  public Tally fromEach(
      List<P> problems,
      List<X> starts,
      Proposer<P, X> proposer,
      Energy<P, X> energy,
      Budget budget) {
    int accepted = 0;
    long proposals = 0;
    long evaluations = 0;
    for (int i = 0; i < problems.size(); i++) {
      Outcome<X> o = from(problems.get(i), starts.get(i), proposer, energy, budget);
      proposals += o.proposals();
      evaluations += o.energyEvaluations();
      if (o.accepted()) accepted++;
    }
    return new Tally(accepted, proposals, evaluations);
  }

  /** A random {@code share} of the positions (at least one when there are any), in random order. */
  static int[] part(int[] positions, double share, RandomSource rng) {
    int[] p = positions.clone();
    for (int i = p.length - 1; i > 0; i--) { // Fisher–Yates
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return Arrays.copyOf(p, p.length == 0 ? 0 : Math.max(1, (int) Math.round(share * p.length)));
  }

  /**
   * The blamed positions plus each other position with probability {@code fraction} (all of them
   * when none is blamed).
   */
  static int[] widen(int[] blamed, int[] all, double fraction, RandomSource rng) {
    if (blamed.length == 0) return all.clone();
    int[] out = Arrays.copyOf(blamed, blamed.length + all.length);
    int n = blamed.length;
    int[] sorted = blamed.clone();
    Arrays.sort(sorted);
    for (int p : all) {
      if (Arrays.binarySearch(sorted, p) < 0 && rng.nextDouble() < fraction) out[n++] = p;
    }
    return Arrays.copyOf(out, n);
  }
}
