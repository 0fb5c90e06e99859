package dev.strata.bench.reasoning;

import dev.strata.energy.ResidualEnergyTraining;
import dev.strata.propose.ArProposer;
import dev.strata.propose.RandomSource;

/** An AR proposer's own samples as the negatives of residual-energy training. */
public final class ArNegatives {
  private ArNegatives() {}

  /**
   * One temperature-1 sample (unconstrained) per problem, in one batched call; null without a
   * proposer.
   */
  public static <P, X> ResidualEnergyTraining.Proposals<P, X> sampled(ArProposer<P, X> proposer) {
    if (proposer == null) return null;
    ArProposer<P, X> sampling = proposer.with(ArProposer.Decoding.sampling(1.0, false));
    return (problems, seed) ->
        sampling.sample(problems, null, new RandomSource(seed)).stream()
            .map(ArProposer.Sample::candidate)
            .toList();
  }
}
