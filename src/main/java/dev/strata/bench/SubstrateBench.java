package dev.strata.bench;

import static dev.strata.nn.Ops.*;

import dev.strata.nn.Engine;
import dev.strata.nn.LayerKind;
import dev.strata.nn.LayerState;
import dev.strata.nn.Ops;
import dev.strata.nn.Scope;
import dev.strata.nn.Tensor;
import dev.strata.propose.CausalLm;
import dev.strata.propose.LmConfig;
import dev.strata.train.AdamW;
import dev.strata.train.ParamGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measurements of the substrate itself: matmul peak, per-op overhead, and for a transformer, a
 * Mamba-2 and a hybrid LM of the same size: training-step time, achieved FLOP/s as a fraction of
 * the matmul peak, decode tokens/s, and decode-state memory against context length.
 */
public final class SubstrateBench {
  /** What to measure. */
  public record Settings(
      List<String> archs,
      int vocab,
      int batch,
      int context,
      int steps,
      int decodeTokens,
      long[] memoryContexts) {
    public static Settings defaults() {
      return new Settings(
          List.of("transformer", "mamba2", "hybrid"),
          65,
          32,
          256,
          8,
          256,
          new long[] {1024, 4096, 16384});
    }
  }

  /** One architecture's numbers. */
  public record ArchResult(
      String arch,
      String pattern,
      long params,
      double stepMs,
      double flopsPerStep,
      double peakFraction,
      double decodeTokensPerS,
      Map<Long, Long> decodeStateBytes) {}

  /** The whole run. */
  public record Result(
      Engine.Info engine,
      double matmulGflops512,
      double matmulGflops1024,
      double opOverheadUs,
      List<ArchResult> archs) {}

  /**
   * Untimed training steps first: the JIT compiles the step's Java side and libtorch's allocator
   * warms up.
   */
  public static final int WARMUP_STEPS = 5;

  private final Settings settings;

  public SubstrateBench(Settings settings) {
    this.settings = settings;
  }

  public Result run(java.util.function.Consumer<String> progress) {
    progress.accept("matmul peak…");
    double g512 = Engine.matmulGflops(512, 0.5);
    double g1024 = Engine.matmulGflops(1024, 0.5);
    double peak = Math.max(g512, g1024);
    progress.accept("per-op overhead…");
    double overhead = opOverheadMicros(20_000);
    List<ArchResult> archs = new ArrayList<>();
    for (String arch : settings.archs()) {
      progress.accept(arch + ": training steps…");
      Ops.seed(1);
      CausalLm model = new CausalLm(LmConfig.cpu(arch, settings.vocab()));
      double stepMs = trainStepMillis(model);
      double flops = flopsPerStep(model, settings.batch(), settings.context());
      progress.accept(arch + ": decode…");
      double tokPerS = decodeTokensPerSecond(model, settings.decodeTokens());
      Map<Long, Long> memory = new LinkedHashMap<>();
      for (long ctx : settings.memoryContexts()) {
        progress.accept(arch + ": decode state at context " + ctx + "…");
        memory.put(ctx, decodeStateBytes(model, ctx));
      }
      archs.add(
          new ArchResult(
              arch,
              model.config.pattern(),
              model.parameterCount(),
              stepMs,
              flops,
              flops / (stepMs / 1e3) / (peak * 1e9),
              tokPerS,
              memory));
    }
    return new Result(Engine.info(), g512, g1024, overhead, archs);
  }

  /**
   * Where the time of one training step goes: libtorch's per-op profile (self time, forward and
   * backward) over {@code steps} steps of the {@code arch} LM at the benchmark's batch and context.
   */
  public List<OpProfile.OpStat> profileTrainingStep(String arch, int steps) {
    Ops.seed(1);
    CausalLm model = new CausalLm(LmConfig.cpu(arch, settings.vocab()));
    Runnable step =
        () -> {
          Tensor ids = randint(0, settings.vocab(), settings.batch(), settings.context());
          model.loss(ids, ids).backward();
        };
    try (Scope s = Ops.scope()) {
      step.run(); // warm-up outside the profile
    }
    return OpProfile.profile(step, steps);
  }

  /**
   * Where the time of one batch-1 decode token goes (after a 16-token prefill and a warm-up):
   * libtorch's per-op profile over {@code tokens} greedy steps of the {@code arch} LM.
   */
  public List<OpProfile.OpStat> profileDecodeStep(String arch, int tokens) {
    Ops.seed(1);
    CausalLm model = new CausalLm(LmConfig.cpu(arch, settings.vocab()));
    model.eval();
    try (var g = noGrad();
        LayerState state = model.newState(1, 16 + 2L * tokens + 64)) {
      try (Scope s = Ops.scope()) {
        model.logits(randint(0, model.config.vocab(), 1, 16), state);
      }
      long[] next = {1};
      for (int i = 0; i < tokens; i++) next[0] = step(model, state, next[0]); // warm-up
      return OpProfile.profile(() -> next[0] = step(model, state, next[0]), tokens);
    }
  }

  /** Microseconds per tiny native op (a 1-element add), the floor under every small-op loop. */
  static double opOverheadMicros(int calls) {
    timedAdds(calls); // warm-up: the same loop, so the JIT has compiled what is timed (as a
    // Python interpreter needs no warm-up of its own)
    return timedAdds(calls);
  }

  private static double timedAdds(int calls) {
    long t0 = System.nanoTime();
    try (Scope s = Ops.scope()) {
      Tensor a = ones(1);
      Tensor b = ones(1);
      for (int i = 0; i < calls; i++) {
        try (Scope inner = Ops.scope()) {
          a.add(b);
        }
      }
    }
    return (System.nanoTime() - t0) / 1e3 / calls;
  }

  /**
   * Median milliseconds of one forward + backward + AdamW step at (batch, context), after {@link
   * #WARMUP_STEPS}.
   */
  double trainStepMillis(CausalLm model) {
    model.train(true);
    try (AdamW opt = new AdamW(ParamGroup.standard(model, 0.1), 1e-3)) {
      double[] ms = new double[settings.steps()];
      for (int i = -WARMUP_STEPS; i < settings.steps(); i++) {
        long t0 = System.nanoTime();
        try (Scope s = Ops.scope()) {
          Tensor ids = randint(0, settings.vocab(), settings.batch(), settings.context());
          Tensor targets = randint(0, settings.vocab(), settings.batch(), settings.context());
          opt.zeroGrad();
          model.loss(ids, targets).backward();
          opt.step();
        }
        if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(ms);
      return ms[ms.length / 2];
    }
  }

  /**
   * Model FLOPs of one training step (forward + backward = 3× forward), the same formula as the
   * PyTorch peer ({@code bench/pytorch/bench_substrate.py}): {@code 6·N·tokens} for the N matmul
   * weights (embedding lookup excluded), {@code 12·L_attn·B·T²·d} for attention scores and values
   * (no causal discount), and {@code 3·L_mamba·tokens·(2·Q·N_s + H·(2·Q·P + 4·N_s·P))} for the SSD.
   */
  static double flopsPerStep(CausalLm model, int batch, int context) {
    long matmulParams = 0;
    for (var e : model.namedParameters().entrySet()) {
      if (e.getValue().dim() == 2 && !e.getKey().startsWith("tok_emb"))
        matmulParams += e.getValue().numel();
    }
    double tokens = (double) batch * context;
    LmConfig c = model.config;
    long attnLayers = LayerKind.ATTENTION.countIn(c.pattern());
    long ssmLayers = LayerKind.MAMBA2.countIn(c.pattern());
    long heads = (long) c.expand() * c.dModel() / c.headDim();
    double q = Math.min(c.chunk(), context);
    return 6.0 * matmulParams * tokens
        + 12.0 * attnLayers * batch * (double) context * context * c.dModel()
        + 3.0
            * ssmLayers
            * tokens
            * (2 * q * c.dState() + heads * (2 * q * c.headDim() + 4.0 * c.dState() * c.headDim()));
  }

  /**
   * Greedy decode speed at batch 1: a 16-token prefill, then one step per token from the decode
   * state.
   */
  static double decodeTokensPerSecond(CausalLm model, int tokens) {
    model.eval();
    try (var g = noGrad();
        LayerState state = model.newState(1, 16 + tokens + 8)) {
      try (Scope s = Ops.scope()) {
        model.logits(randint(0, model.config.vocab(), 1, 16), state);
      }
      long next = 1;
      for (int i = 0; i < 8; i++) next = step(model, state, next); // warm-up
      long t0 = System.nanoTime();
      for (int i = 0; i < tokens; i++) next = step(model, state, next);
      return tokens / ((System.nanoTime() - t0) / 1e9);
    } finally {
      model.train(true);
    }
  }

  private static long step(CausalLm model, LayerState state, long token) {
    try (Scope s = Ops.scope()) {
      return argmax(model.logits(tensor(new long[] {token}, 1, 1), state).select(1, 0), -1)
          .item_long();
    }
  }

  /** Bytes the decode state holds after {@code context} tokens (prefilled in chunks of 512). */
  static long decodeStateBytes(CausalLm model, long context) {
    model.eval();
    try (var g = noGrad();
        LayerState state = model.newState(1, context)) {
      for (long done = 0; done < context; ) {
        long n = Math.min(512, context - done);
        try (Scope s = Ops.scope()) {
          model.logits(randint(0, model.config.vocab(), 1, n), state);
        }
        done += n;
      }
      return state.bytes();
    } finally {
      model.train(true);
    }
  }
}
