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
 * A learned energy over aligned (problem, candidate) token streams — e.g. a Sudoku's givens and a
 * filled grid: each position embeds its problem token, its candidate token and its place (an index,
 * or for grids its row, column and block — geometry, not rules); bidirectional transformer blocks
 * let every position see the whole candidate (so a repeated digit anywhere can raise the energy); a
 * linear head gives a per-position energy and the sum over positions is E(x, y). Trained by ranking
 * NCE ({@link RankingNce}) as the residual energy of p(y|x) ∝ π_AR(y|x)·exp(−E(x, y)); it never
 * sees the rule energy.
 */
public final class EnergyNet extends Module implements EnergyModel {
  public final EnergyNetConfig config;
  private final Embedding condition;
  private final Embedding candidate;
  private final Embedding
      position; // sequences: one per position; grids: one per row (rows), see below
  private final Embedding column; // grids only
  private final Embedding blockOf; // grids with blocks only
  private final long[] rowIds;
  private final long[] columnIds;
  private final long[] blockIds;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm norm;
  private final Linear head;

  public EnergyNet(EnergyNetConfig config) {
    this.config = config;
    this.condition = child("condition", new Embedding(config.conditionVocab(), config.dModel()));
    this.candidate = child("candidate", new Embedding(config.candidateVocab(), config.dModel()));
    int g = config.grid();
    this.position = child("position", new Embedding(g > 0 ? g : config.length(), config.dModel()));
    this.column = g > 0 ? child("column", new Embedding(g, config.dModel())) : null;
    int blocksPerSide = config.block() > 0 ? g / config.block() : 0;
    this.blockOf =
        config.block() > 0
            ? child("block", new Embedding(blocksPerSide * blocksPerSide, config.dModel()))
            : null;
    this.rowIds = new long[config.length()];
    this.columnIds = new long[config.length()];
    this.blockIds = new long[config.length()];
    for (int i = 0; i < config.length(); i++) {
      rowIds[i] = g > 0 ? i / g : i;
      columnIds[i] = g > 0 ? i % g : 0;
      blockIds[i] =
          config.block() > 0
              ? (i / g / config.block()) * blocksPerSide + (i % g) / config.block()
              : 0;
    }
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

  @Override
  public Tensor forward(Tensor problem, Tensor cand) {
    long t = problem.size(1);
    Tensor pos = position.forward(tensor(rowIds, t)); // (T, D)
    if (column != null) pos = pos.add(column.forward(tensor(columnIds, t)));
    if (blockOf != null) pos = pos.add(blockOf.forward(tensor(blockIds, t)));
    Tensor h = condition.forward(problem).add(candidate.forward(cand)).add(pos); // (B, T, D)
    for (TransformerBlock b : blocks) h = b.forward(h); // (B, T, D)
    Tensor perPosition = head.forward(norm.forward(h)); // (B, T, 1)
    return sum(perPosition, false, 1, 2); // (B)
  }
}
