package dev.strata.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A stack of sequence layers built from a pattern string, one {@link LayerKind} letter per layer:
 * {@code "MMMAMMMA"} (Mamba-2 and attention) is a 1:3 hybrid in the spirit of Jamba and Nemotron-H
 * (Mamba-2 paper: ~10% attention layers is best). The owner builds each kind's layer.
 */
public final class HybridStack extends Module implements SequenceLayer {
  public final String pattern;
  private final List<SequenceLayer> layers = new ArrayList<>();

  /**
   * @param pattern one {@link LayerKind} letter per layer
   * @param build a new layer of a kind (throws IllegalArgumentException for a kind it lacks)
   */
  public HybridStack(String pattern, Function<LayerKind, ? extends SequenceLayer> build) {
    List<LayerKind> kinds = LayerKind.parse(pattern);
    this.pattern = pattern;
    for (int i = 0; i < kinds.size(); i++) {
      SequenceLayer layer = build.apply(kinds.get(i));
      child(
          Integer.toString(i), (Module) layer); // PyTorch ModuleList naming: layers.0, layers.1, …
      layers.add(layer);
    }
  }

  public int depth() {
    return layers.size();
  }

  public SequenceLayer layer(int i) {
    return layers.get(i);
  }

  /** (B, T, D) → (B, T, D) through every layer. */
  @Override
  public Tensor forward(Tensor x) {
    for (SequenceLayer layer : layers) x = layer.forward(x);
    return x;
  }

  @Override
  public StackState newState(long batch, long maxLen) {
    List<LayerState> states = new ArrayList<>();
    for (SequenceLayer layer : layers) states.add(layer.newState(batch, maxLen));
    return new StackState(states);
  }

  /** (B, T, D) → (B, T, D), continuing every layer from its own state. */
  @Override
  public Tensor forward(Tensor x, LayerState state) {
    if (!(state instanceof StackState s))
      throw new IllegalArgumentException("a HybridStack decodes with its own newState()");
    for (int i = 0; i < layers.size(); i++) x = layers.get(i).forward(x, s.states.get(i));
    return x;
  }

  /** The decode states of all layers of a stack. */
  public static final class StackState implements LayerState {
    final List<LayerState> states;

    StackState(List<LayerState> states) {
      this.states = states;
    }

    @Override
    public long position() {
      return states.getFirst().position();
    }

    @Override
    public long bytes() {
      return states.stream().mapToLong(LayerState::bytes).sum();
    }

    @Override
    public void reorder(Tensor indices) {
      for (LayerState s : states) s.reorder(indices);
    }

    @Override
    public void close() {
      states.forEach(LayerState::close);
    }
  }
}
