package dev.strata.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tree of named parameters over libtorch tensors, shaped like PyTorch's {@code nn.Module}.
 *
 * <p>Layers register parameters, buffers (non-trained state such as running statistics) and child
 * modules in their constructors; names join with dots ({@code blocks.0.attn.qkv.weight}) exactly as
 * PyTorch spells them, so state dicts move between the two. Registered tensors are retained, so
 * they outlive the {@code PointerScope} in which the module was built.
 *
 * <p>Changing dtype or loading a state dict works in place on the same {@link Tensor} objects, so a
 * layer may keep its parameters in plain final fields.
 */
public abstract class Module {
  private final Map<String, Tensor> params = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  /** Registers a trainable parameter (a leaf that records gradients). */
  protected final Tensor param(String name, Tensor init) {
    checkName(name);
    Tensor p = Ops.retain(init.detach());
    Ops.requireGrad(p);
    params.put(name, p);
    return p;
  }

  /** Registers non-trained state that is saved with the model (running statistics, tables). */
  protected final Tensor buffer(String name, Tensor init) {
    checkName(name);
    Tensor b = Ops.retain(init.detach());
    buffers.put(name, b);
    return b;
  }

  /** Registers a child module under {@code name}. */
  protected final <M extends Module> M child(String name, M module) {
    checkName(name);
    children.put(name, module);
    return module;
  }

  private void checkName(String name) {
    if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
      throw new IllegalStateException(
          getClass().getSimpleName() + " already has a member named '" + name + "'");
    }
  }

  // ---------------------------------------------------------------- the tree

  /** All parameters with dotted names, in registration order. */
  public final Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out, true);
    return out;
  }

  /** All buffers with dotted names, in registration order. */
  public final Map<String, Tensor> namedBuffers() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out, false);
    return out;
  }

  private void collect(String prefix, Map<String, Tensor> out, boolean parameters) {
    (parameters ? params : buffers).forEach((n, t) -> out.put(prefix + n, t));
    children.forEach((n, c) -> c.collect(prefix + n + ".", out, parameters));
  }

  public final List<Tensor> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Parameters that currently record gradients (not frozen). */
  public final List<Tensor> trainableParameters() {
    return namedParameters().values().stream().filter(Tensor::requires_grad).toList();
  }

  public final Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /** Number of parameter elements. */
  public final long parameterCount() {
    long n = 0;
    for (Tensor p : namedParameters().values()) n += p.numel();
    return n;
  }

  /** Parameters and buffers, the state that a checkpoint stores. */
  public final Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = namedParameters();
    out.putAll(namedBuffers());
    return out;
  }

  /**
   * Copies {@code state} into this module's parameters and buffers, in place. Every entry must
   * match by name and shape; a mismatch names the offending entry.
   */
  public final void loadStateDict(Map<String, Tensor> state) {
    Map<String, Tensor> mine = stateDict();
    List<String> missing = new ArrayList<>();
    for (String name : mine.keySet()) if (!state.containsKey(name)) missing.add(name);
    List<String> unexpected = new ArrayList<>();
    for (String name : state.keySet()) if (!mine.containsKey(name)) unexpected.add(name);
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      throw new IllegalArgumentException(
          "state dict does not fit "
              + getClass().getSimpleName()
              + (missing.isEmpty() ? "" : "; missing: " + abbreviate(missing))
              + (unexpected.isEmpty() ? "" : "; unexpected: " + abbreviate(unexpected)));
    }
    try (var g = Ops.noGrad()) {
      for (var e : mine.entrySet()) {
        Tensor src = state.get(e.getKey());
        long[] want = Ops.shape(e.getValue());
        long[] got = Ops.shape(src);
        if (!Arrays.equals(want, got)) {
          throw new IllegalArgumentException(
              "state dict entry '"
                  + e.getKey()
                  + "' has shape "
                  + Arrays.toString(got)
                  + " but the model expects "
                  + Arrays.toString(want));
        }
        e.getValue().copy_(src);
      }
    }
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 5
        ? names.toString()
        : names.subList(0, 5) + " and " + (names.size() - 5) + " more";
  }

  // ---------------------------------------------------------------- modes

  /** Training mode (dropout, batch statistics) for this module and all below it. */
  public final Module train(boolean on) {
    training = on;
    children.values().forEach(c -> c.train(on));
    return this;
  }

  public final Module eval() {
    return train(false);
  }

  public final boolean isTraining() {
    return training;
  }

  /** Stops gradients for every parameter below this module. */
  public final Module freeze() {
    namedParameters().values().forEach(p -> p.set_requires_grad(false));
    return this;
  }

  public final Module unfreeze() {
    namedParameters().values().forEach(p -> p.set_requires_grad(true));
    return this;
  }

  /**
   * Converts floating-point parameters and buffers to {@code dtype} in place (float64 for gradient
   * checks, bfloat16 for memory). Integer buffers are left alone.
   */
  public final Module to(DType dtype) {
    try (var g = Ops.noGrad()) {
      for (Tensor t : stateDict().values()) {
        if (Ops.dtype(t) != DType.INT64) Ops.setData(t, Ops.to(t, dtype));
      }
    }
    return this;
  }

  /** The dtype of the first parameter (the model's compute dtype). */
  public final DType dtype() {
    return namedParameters().values().stream().findFirst().map(Ops::dtype).orElse(DType.FLOAT32);
  }
}
