package dev.strata.bench.sequence;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.LayerState;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import dev.strata.propose.CausalLm;
import dev.strata.tasks.sequence.SequenceTask;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The long-context decode table: for each architecture (untrained: speed and memory do not depend
 * on the weights) and context length L, at batch 1, prefill L random tokens chunk by chunk through
 * the decode state, then decode tokens one at a time; report prefill and decode tokens/s, the
 * decode state's bytes (the KV cache grows with L; an SSM state does not) and the process's
 * resident memory. A length whose predicted time (from the previous length: ×L² with attention, ×L
 * without) passes the cap is not run, and a prefill that passes the cap stops, so the table never
 * hangs.
 */
public final class DecodeBench {
  /**
   * @param archs the architectures
   * @param lengths context lengths, ascending
   * @param decodeTokens tokens decoded (timed) after the prefill, after 4 untimed ones
   * @param prefillChunk tokens per prefill forward
   * @param secondsCap time cap of one (architecture, length) cell
   * @param seed initialisation and token seed
   */
  public record Plan(
      List<Architecture> archs,
      List<Integer> lengths,
      int decodeTokens,
      int prefillChunk,
      double secondsCap,
      long seed) {
    public Plan {
      if (archs.isEmpty())
        throw new IllegalArgumentException("the decode table needs at least one architecture");
      if (lengths.isEmpty())
        throw new IllegalArgumentException("the decode table needs at least one length");
      for (int i = 0; i < lengths.size(); i++) {
        if (lengths.get(i) <= 0 || (i > 0 && lengths.get(i) <= lengths.get(i - 1))) {
          throw new IllegalArgumentException(
              "decode lengths must be positive and ascending, got " + lengths);
        }
      }
      if (decodeTokens <= 0 || prefillChunk <= 0)
        throw new IllegalArgumentException("decode tokens and prefill chunk must be positive");
      if (!(secondsCap > 0))
        throw new IllegalArgumentException("--time-cap must be positive, got " + secondsCap);
      archs = List.copyOf(archs);
      lengths = List.copyOf(lengths);
    }

    /**
     * The default patterns, at equal depth: four layers of each layer kind (AAAA, MMMM, SSSS, TTTT)
     * and the MMAM hybrid.
     */
    public static final List<String> PATTERNS = Architecture.defaultPatterns(4);

    /**
     * Width 128, N = 64 (the spec's small-scale defaults); 1k, 16k and 64k tokens; 32 decode steps;
     * 120 s per cell.
     */
    public static Plan defaults(long seed) {
      List<Architecture> archs = PATTERNS.stream().map(p -> new Architecture(p, 128, 64)).toList();
      return new Plan(archs, List.of(1 << 10, 1 << 14, 1 << 16), 32, 2048, 120, seed);
    }

    /**
     * The {@link #defaults} with a user's choices (null or empty: the default): every pattern at
     * every width and state size (default width 128, N 64), duplicates dropped.
     *
     * @param secondsCap cap per cell, null for the default
     */
    public static Plan of(
        List<String> patterns,
        List<Integer> widths,
        List<Integer> states,
        List<Integer> lengths,
        Double secondsCap,
        long seed) {
      Plan d = defaults(seed);
      List<String> ps = patterns != null && !patterns.isEmpty() ? patterns : PATTERNS;
      List<Integer> ws = widths != null && !widths.isEmpty() ? widths : List.of(128);
      List<Integer> ns = states != null && !states.isEmpty() ? states : List.of(64);
      List<Architecture> archs = new ArrayList<>();
      for (String p : ps)
        for (int w : ws) for (int n : ns) archs.add(new Architecture(p.strip(), w, n));
      return new Plan(
          archs.stream().distinct().toList(),
          lengths != null && !lengths.isEmpty() ? lengths : d.lengths(),
          d.decodeTokens(),
          d.prefillChunk(),
          secondsCap != null ? secondsCap : d.secondsCap(),
          seed);
    }
  }

  /**
   * One cell of the table.
   *
   * @param arch architecture name
   * @param label pattern and sizes
   * @param params parameters
   * @param length context length L
   * @param status "ok", "not run: …" or "stopped: …"
   * @param prefillTokensPerS prefill speed (null when not run)
   * @param decodeTokensPerS decode speed at context L (null when not run)
   * @param prefillSeconds prefill wall time
   * @param stateBytes decode-state bytes after the prefill (KV caches or SSM states of all layers)
   * @param rssBytes resident memory after the prefill
   * @param peakRssBytes peak resident memory during the cell
   */
  public record Row(
      String arch,
      String label,
      long params,
      int length,
      String status,
      Double prefillTokensPerS,
      Double decodeTokensPerS,
      double prefillSeconds,
      long stateBytes,
      long rssBytes,
      long peakRssBytes) {}

  private final Plan plan;
  private final Consumer<String> log;

  public DecodeBench(Plan plan, Consumer<String> log) {
    this.plan = plan;
    this.log = log;
  }

  public List<Row> run() {
    List<Row> rows = new ArrayList<>();
    for (Architecture arch : plan.archs()) {
      Ops.seed(plan.seed());
      CausalLm model = new CausalLm(arch.lm(256, plan.lengths().getLast()));
      model.eval();
      Row last = null;
      for (int len : plan.lengths()) {
        String skip = predictedOverCap(arch, last, len);
        Row r;
        if (skip != null) {
          r =
              new Row(
                  arch.name(),
                  arch.label(),
                  model.parameterCount(),
                  len,
                  "not run: " + skip,
                  null,
                  null,
                  0,
                  0,
                  0,
                  0);
        } else {
          log.accept("decode " + arch.label() + ": prefill " + len + " tokens…");
          r = cell(model, arch, len);
        }
        log.accept(
            String.format(
                "  %s at %d: %s",
                arch.label(),
                len,
                r.status().equals(TestPoint.OK)
                    ? String.format(
                        "prefill %.0f tok/s, decode %.1f tok/s, state %.2f MiB, RSS %.0f MiB",
                        r.prefillTokensPerS(),
                        r.decodeTokensPerS(),
                        r.stateBytes() / 1048576.0,
                        r.rssBytes() / 1048576.0)
                    : r.status()));
        rows.add(r);
        if (r.status().equals(TestPoint.OK)) last = r;
      }
    }
    return rows;
  }

  /** Why a length is skipped (its predicted time passes the cap), or null. */
  String predictedOverCap(Architecture arch, Row last, int len) {
    if (last == null) return null;
    double ratio = (double) len / last.length();
    double predicted = last.prefillSeconds() * (arch.hasAttention() ? ratio * ratio : ratio);
    if (predicted <= plan.secondsCap()) return null;
    return String.format(
        "time — prefill predicted %.0f s from %d tokens (cap %.0f s)",
        predicted, last.length(), plan.secondsCap());
  }

  /** Prefill {@code len} tokens, then decode; every tensor freed at the end. */
  Row cell(CausalLm model, Architecture arch, int len) {
    SplittableRandom rng = new SplittableRandom(SequenceTask.mix(plan.seed(), len));
    int vocab = model.config.vocab();
    System.gc(); // drop the previous cell's tensors before the peak restarts
    ResidentMemory.resetPeak();
    try (var g = noGrad();
        LayerState state = model.newState(1, len + plan.decodeTokens() + 4)) {
      long t0 = System.nanoTime();
      long next = 0;
      for (int from = 0; from < len; from += plan.prefillChunk()) {
        int n = Math.min(plan.prefillChunk(), len - from);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = rng.nextInt(vocab);
        try (Scope s = Ops.scope()) {
          Tensor h = model.hidden(tensor(ids, 1, n), state); // (1, n, D)
          next =
              argmax(model.head.forward(h.select(1, n - 1)), -1)
                  .item_long(); // the next-token logits of the prompt
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        if (elapsed > plan.secondsCap() && from + n < len) {
          return new Row(
              arch.name(),
              arch.label(),
              model.parameterCount(),
              len,
              String.format(
                  "stopped: time cap %.0f s after %d of %d prefill tokens",
                  plan.secondsCap(), from + n, len),
              null,
              null,
              elapsed,
              state.bytes(),
              ResidentMemory.current(),
              ResidentMemory.peak());
        }
      }
      double prefill = (System.nanoTime() - t0) / 1e9;
      long stateBytes = state.bytes();
      long rss = ResidentMemory.current();
      for (int i = 0; i < 4; i++) next = step(model, state, next); // untimed warm-up
      long t1 = System.nanoTime();
      for (int i = 0; i < plan.decodeTokens(); i++) next = step(model, state, next);
      double decode = (System.nanoTime() - t1) / 1e9;
      return new Row(
          arch.name(),
          arch.label(),
          model.parameterCount(),
          len,
          TestPoint.OK,
          len / prefill,
          plan.decodeTokens() / decode,
          prefill,
          stateBytes,
          rss,
          ResidentMemory.peak());
    }
  }

  private static long step(CausalLm model, LayerState state, long token) {
    try (Scope s = Ops.scope()) {
      return argmax(model.logits(tensor(new long[] {token}, 1, 1), state).select(1, 0), -1)
          .item_long();
    }
  }
}
