package dev.strata.train;

import static dev.strata.nn.Ops.add;
import static dev.strata.nn.Ops.addcdivInPlace;
import static dev.strata.nn.Ops.addcmulInPlace;
import static dev.strata.nn.Ops.div;
import static dev.strata.nn.Ops.lerpInPlace;
import static dev.strata.nn.Ops.mulInPlace;

import dev.strata.nn.DType;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;

/**
 * AdamW (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay Regularization", Algorithm 2), op
 * for op as {@code torch.optim.AdamW} (single-tensor path) so results match PyTorch to float
 * rounding.
 *
 * <p>Per parameter θ with gradient g, at its step t (counted from 1), with η = lr · group scale:
 *
 * <pre>
 *   θ ← θ·(1 − η·λ)                         decoupled weight decay
 *   m ← m + (1 − β₁)·(g − m)                 first moment (lerp)
 *   v ← β₂·v + (1 − β₂)·g²                   second moment
 *   θ ← θ − η/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε)
 * </pre>
 *
 * Parameters without a gradient are skipped (their step does not advance), as in PyTorch.
 *
 * <p>The state — per parameter {@code <name>.step} (int64 scalar), {@code <name>.exp_avg} and
 * {@code <name>.exp_avg_sq} — is exported by {@link #state()} and restored by {@link #loadState},
 * so a checkpoint resumes exactly. State tensors are retained outside any {@code PointerScope};
 * {@link #close()} frees them.
 */
public final class AdamW implements AutoCloseable {
  public static final String STEP = ".step";
  public static final String EXP_AVG = ".exp_avg";
  public static final String EXP_AVG_SQ = ".exp_avg_sq";

  private final List<ParamGroup> groups;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private double lr;
  private final Map<String, Moments> state = new HashMap<>();

  /** Running moments of one parameter, retained outside step scopes. */
  private static final class Moments {
    long step;
    final Tensor expAvg;
    final Tensor expAvgSq;

    Moments(long step, Tensor expAvg, Tensor expAvgSq) {
      this.step = step;
      this.expAvg = Ops.retain(expAvg);
      this.expAvgSq = Ops.retain(expAvgSq);
    }

    void release() {
      Ops.release(expAvg);
      Ops.release(expAvgSq);
    }
  }

  /**
   * @param groups parameter groups; every parameter name must appear once
   * @param lr base learning rate (usually overwritten each step from a schedule via {@link #setLr})
   */
  public AdamW(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          "AdamW betas must lie in [0, 1), got (" + beta1 + ", " + beta2 + ")");
    }
    if (!(eps > 0)) throw new IllegalArgumentException("AdamW eps must be > 0, got " + eps);
    Map<String, String> owner = new HashMap<>();
    for (ParamGroup g : groups) {
      for (String name : g.params().keySet()) {
        String previous = owner.putIfAbsent(name, g.name());
        if (previous != null) {
          throw new IllegalArgumentException(
              "parameter '"
                  + name
                  + "' is in both group '"
                  + previous
                  + "' and group '"
                  + g.name()
                  + "'");
        }
      }
    }
    this.groups = List.copyOf(groups);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    setLr(lr);
  }

  /** AdamW with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8. */
  public AdamW(List<ParamGroup> groups, double lr) {
    this(groups, lr, 0.9, 0.999, 1e-8);
  }

  public List<ParamGroup> groups() {
    return groups;
  }

  public double lr() {
    return lr;
  }

  /**
   * Sets the base learning rate for the next {@link #step()} (each group multiplies it by its
   * scale).
   */
  public void setLr(double lr) {
    if (!(lr >= 0) || !Double.isFinite(lr))
      throw new IllegalArgumentException("learning rate must be ≥ 0, got " + lr);
    this.lr = lr;
  }

  /** One AdamW update of every parameter that has a gradient. */
  public void step() {
    try (PointerScope scope = new PointerScope();
        var noGrad = Ops.noGrad()) {
      for (ParamGroup g : groups) {
        double groupLr = lr * g.lrScale();
        for (var e : g.params().entrySet()) {
          Tensor grad = Ops.grad(e.getValue());
          if (grad != null) update(e.getKey(), e.getValue(), grad, groupLr, g.weightDecay());
        }
      }
    }
  }

  private void update(String name, Tensor param, Tensor grad, double lr, double weightDecay) {
    Moments m =
        state.computeIfAbsent(
            name, n -> new Moments(0, Ops.zerosLike(param), Ops.zerosLike(param)));
    m.step++;
    if (weightDecay != 0) mulInPlace(param, 1 - lr * weightDecay);
    lerpInPlace(m.expAvg, grad, 1 - beta1);
    mulInPlace(m.expAvgSq, beta2);
    addcmulInPlace(m.expAvgSq, grad, grad, 1 - beta2);
    double biasCorrection1 = 1 - Math.pow(beta1, m.step);
    double biasCorrection2 = 1 - Math.pow(beta2, m.step);
    double stepSize = lr / biasCorrection1;
    Tensor denom = add(div(m.expAvgSq.sqrt(), Math.pow(biasCorrection2, 0.5)), eps);
    addcdivInPlace(param, m.expAvg, denom, -stepSize);
  }

  /** Clears every parameter's gradient (to undefined, like {@code zero_grad(set_to_none=True)}). */
  public void zeroGrad() {
    for (ParamGroup g : groups) g.params().values().forEach(Ops::clearGrad);
  }

  /** The step count of a parameter (0 before its first update). */
  public long step(String paramName) {
    Moments m = state.get(paramName);
    return m == null ? 0 : m.step;
  }

  /**
   * The optimizer state keyed {@code <param>.step}, {@code <param>.exp_avg}, {@code
   * <param>.exp_avg_sq}; moment tensors are the live ones (serialise them, do not modify them).
   * Parameters never updated have no entries.
   */
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (ParamGroup g : groups) {
      for (String name : g.params().keySet()) {
        Moments m = state.get(name);
        if (m == null) continue;
        out.put(name + STEP, Ops.tensor(new long[] {m.step}));
        out.put(name + EXP_AVG, m.expAvg);
        out.put(name + EXP_AVG_SQ, m.expAvgSq);
      }
    }
    return out;
  }

  /**
   * Replaces the state with {@code saved} (from {@link #state()}, possibly through a checkpoint).
   * Every entry must name a parameter of this optimizer with the parameter's shape; moments are
   * copied and converted to the parameter's dtype.
   */
  public void loadState(Map<String, Tensor> saved) {
    Map<String, Tensor> params = new HashMap<>();
    groups.forEach(g -> params.putAll(g.params()));
    Map<String, Moments> loaded = new HashMap<>();
    try (var noGrad = Ops.noGrad()) {
      for (String key : saved.keySet()) {
        if (!key.endsWith(STEP) && !key.endsWith(EXP_AVG) && !key.endsWith(EXP_AVG_SQ)) {
          throw new IllegalArgumentException(
              "optimizer state entry '"
                  + key
                  + "' is not <param>"
                  + STEP
                  + ", <param>"
                  + EXP_AVG
                  + " or <param>"
                  + EXP_AVG_SQ);
        }
      }
      for (var e : params.entrySet()) {
        String name = e.getKey();
        Tensor step = saved.get(name + STEP);
        Tensor expAvg = saved.get(name + EXP_AVG);
        Tensor expAvgSq = saved.get(name + EXP_AVG_SQ);
        if (step == null && expAvg == null && expAvgSq == null) continue;
        if (step == null || expAvg == null || expAvgSq == null) {
          throw new IllegalArgumentException(
              "optimizer state of '"
                  + name
                  + "' is incomplete: it needs "
                  + STEP.substring(1)
                  + ", "
                  + EXP_AVG.substring(1)
                  + " and "
                  + EXP_AVG_SQ.substring(1));
        }
        checkShape(name + EXP_AVG, expAvg, e.getValue());
        checkShape(name + EXP_AVG_SQ, expAvgSq, e.getValue());
        DType dtype = Ops.dtype(e.getValue());
        loaded.put(
            name,
            new Moments(
                Ops.longs(step)[0],
                Ops.to(expAvg, dtype).clone(),
                Ops.to(expAvgSq, dtype).clone()));
      }
      int used = loaded.size() * 3;
      if (used != saved.size()) {
        List<String> unknown = new ArrayList<>();
        for (String key : saved.keySet()) {
          String param = key.substring(0, key.lastIndexOf('.'));
          if (!params.containsKey(param)) unknown.add(key);
        }
        throw new IllegalArgumentException(
            "optimizer state has entries for parameters this optimizer does not have: "
                + (unknown.size() <= 5
                    ? unknown
                    : unknown.subList(0, 5) + " and " + (unknown.size() - 5) + " more"));
      }
    }
    close();
    state.putAll(loaded);
  }

  private static void checkShape(String key, Tensor saved, Tensor param) {
    if (!Arrays.equals(Ops.shape(saved), Ops.shape(param))) {
      throw new IllegalArgumentException(
          "optimizer state entry '"
              + key
              + "' has shape "
              + Arrays.toString(Ops.shape(saved))
              + " but the parameter has shape "
              + Arrays.toString(Ops.shape(param)));
    }
  }

  /** Frees the moment tensors; the optimizer starts from zero state afterwards. */
  @Override
  public void close() {
    state.values().forEach(Moments::release);
    state.clear();
  }
}
