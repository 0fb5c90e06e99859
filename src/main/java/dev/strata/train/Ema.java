package dev.strata.train;

import dev.strata.nn.Module;
import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;

/**
 * Exponential moving average of a module's parameters (Polyak averaging): shadow copies updated by
 * {@code θ̄ ← decay·θ̄ + (1 − decay)·θ} after each optimizer step, used for evaluation and
 * sampling. Shadows are retained outside step scopes; {@link #close()} frees them.
 */
public final class Ema implements AutoCloseable {
  private final Module model;
  private final Map<String, Tensor> shadow = new LinkedHashMap<>();

  /** Starts the average at the model's current parameters. */
  public Ema(Module model) {
    this.model = model;
    try (var noGrad = Ops.noGrad()) {
      model.namedParameters().forEach((n, p) -> shadow.put(n, Ops.retain(p.detach().clone())));
    }
  }

  /** {@code shadow ← decay·shadow + (1 − decay)·param} for every parameter. */
  public void update(double decay) {
    if (!(decay >= 0 && decay <= 1))
      throw new IllegalArgumentException("EMA decay must lie in [0, 1], got " + decay);
    Map<String, Tensor> params = model.namedParameters();
    try (PointerScope scope = new PointerScope();
        var noGrad = Ops.noGrad()) {
      shadow.forEach((n, s) -> Ops.lerpInPlace(s, params.get(n), 1 - decay));
    }
  }

  /** Restarts the average at the model's current parameters. */
  public void reset() {
    Map<String, Tensor> params = model.namedParameters();
    try (PointerScope scope = new PointerScope();
        var noGrad = Ops.noGrad()) {
      shadow.forEach((n, s) -> s.copy_(params.get(n)));
    }
  }

  /** The averaged parameters by dotted name (live tensors: read, do not modify). */
  public Map<String, Tensor> shadow() {
    return Collections.unmodifiableMap(shadow);
  }

  /**
   * Copies the averaged parameters into {@code target} (the same architecture, e.g. a copy for
   * sampling).
   */
  public void copyTo(Module target) {
    Map<String, Tensor> params = target.namedParameters();
    if (!params.keySet().equals(shadow.keySet())) {
      throw new IllegalArgumentException(
          "EMA parameters " + shadow.keySet() + " do not match the target's " + params.keySet());
    }
    try (PointerScope scope = new PointerScope();
        var noGrad = Ops.noGrad()) {
      shadow.forEach((n, s) -> params.get(n).copy_(s));
    }
  }

  /**
   * Puts the averaged parameters into the tracked model until the returned handle is closed, which
   * restores the trained ones: {@code try (var swapped = ema.swapIn()) { evaluate(); }}.
   */
  public Swap swapIn() {
    Map<String, Tensor> params = model.namedParameters();
    Map<String, Tensor> backup = new LinkedHashMap<>();
    try (var noGrad = Ops.noGrad()) {
      params.forEach((n, p) -> backup.put(n, Ops.retain(p.detach().clone())));
    }
    copyTo(model);
    return () -> {
      try (PointerScope scope = new PointerScope();
          var noGrad = Ops.noGrad()) {
        backup.forEach((n, b) -> params.get(n).copy_(b));
      }
      backup.values().forEach(Ops::release);
    };
  }

  /** Restores the trained parameters when closed. */
  public interface Swap extends AutoCloseable {
    @Override
    void close();
  }

  /** Replaces the shadows with saved ones (from {@link #shadow()}, e.g. through a checkpoint). */
  public void loadShadow(Map<String, Tensor> saved) {
    if (!saved.keySet().equals(shadow.keySet())) {
      throw new IllegalArgumentException(
          "saved EMA has parameters " + saved.keySet() + " but the model has " + shadow.keySet());
    }
    try (PointerScope scope = new PointerScope();
        var noGrad = Ops.noGrad()) {
      shadow.forEach(
          (n, s) -> {
            Tensor src = saved.get(n);
            if (!Arrays.equals(Ops.shape(src), Ops.shape(s))) {
              throw new IllegalArgumentException(
                  "saved EMA entry '"
                      + n
                      + "' has shape "
                      + Arrays.toString(Ops.shape(src))
                      + " but the parameter has "
                      + Arrays.toString(Ops.shape(s)));
            }
            s.copy_(src);
          });
    }
  }

  @Override
  public void close() {
    shadow.values().forEach(Ops::release);
    shadow.clear();
  }
}
