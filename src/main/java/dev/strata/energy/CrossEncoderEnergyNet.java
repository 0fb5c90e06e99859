package dev.strata.energy;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.AttentionConfig;
import dev.strata.nn.Embedding;
import dev.strata.nn.LayerNorm;
import dev.strata.nn.Linear;
import dev.strata.nn.Module;
import dev.strata.nn.Tensor;
import dev.strata.nn.TransformerBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A learned energy over a problem and a candidate that are not aligned — e.g. a path-star graph and
 * a path, or a Countdown input and its steps: a cross-encoder (one stream: problem tokens, a
 * separator, candidate tokens; each token embeds its id, its segment and its position inside the
 * segment), bidirectional transformer blocks so every candidate token sees the whole problem and
 * the whole candidate, and a linear head whose per-position outputs sum to E(x, y). Trained by
 * ranking NCE (Ma &amp; Collins 2018) as the residual energy of p(y|x) ∝ π_AR(y|x)·exp(−E(x, y))
 * (Deng et al. 2020); it never sees the rule energy.
 */
public final class CrossEncoderEnergyNet extends Module implements EnergyModel {
  public final CrossEncoderConfig config;
  private final Embedding token;
  private final Embedding segment; // 0: problem, 1: separator, 2: candidate
  private final Embedding problemPosition;
  private final Embedding candidatePosition;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm norm;
  private final Linear head;

  public CrossEncoderEnergyNet(CrossEncoderConfig config) {
    this.config = config;
    this.token = child("token", new Embedding(config.vocab(), config.dModel()));
    this.segment = child("segment", new Embedding(3, config.dModel()));
    this.problemPosition =
        child("problem_position", new Embedding(config.maxProblem(), config.dModel()));
    this.candidatePosition =
        child("candidate_position", new Embedding(config.maxCandidate(), config.dModel()));
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(
          child(
              "block" + i,
              new TransformerBlock(
                  AttentionConfig.bidirectional(config.dModel(), config.heads()))));
    }
    this.norm = child("norm", new LayerNorm(config.dModel()));
    this.head = child("head", new Linear(config.dModel(), 1));
  }

  /**
   * int64 problem (B, Tp) and candidate (B, Tc) tokens, any Tp ≤ maxProblem and Tc ≤ maxCandidate →
   * energies (B).
   */
  @Override
  public Tensor forward(Tensor problem, Tensor cand) {
    long b = problem.size(0);
    long tp = problem.size(1);
    long tc = cand.size(1);
    if (tp > config.maxProblem() || tc > config.maxCandidate()) {
      throw new IllegalArgumentException(
          "this energy reads at most "
              + config.maxProblem()
              + " problem and "
              + config.maxCandidate()
              + " candidate tokens, got "
              + tp
              + " and "
              + tc);
    }
    if (cand.size(0) != b)
      throw new IllegalArgumentException(
          "problem batch " + b + " ≠ candidate batch " + cand.size(0));
    Tensor p =
        token
            .forward(problem)
            .add(problemPosition.forward(arange(tp)))
            .add(segment.forward(tensor(new long[] {0}, 1))); // (B, Tp, D)
    Tensor sep =
        segment
            .forward(tensor(new long[] {1}, 1))
            .unsqueeze(0)
            .expand(b, 1, config.dModel()); // (B, 1, D)
    Tensor c =
        token
            .forward(cand)
            .add(candidatePosition.forward(arange(tc)))
            .add(segment.forward(tensor(new long[] {2}, 1))); // (B, Tc, D)
    Tensor h = cat(1, p, sep, c); // (B, Tp+1+Tc, D)
    for (TransformerBlock block : blocks) h = block.forward(h);
    Tensor perPosition = head.forward(norm.forward(h)); // (B, T, 1)
    return sum(perPosition, false, 1, 2); // (B)
  }
}
