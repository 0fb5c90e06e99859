package dev.strata.nn;

import org.bytedeco.javacpp.PointerScope;

/**
 * A region whose native temporaries are freed when it closes: {@code try (Scope s = Ops.scope()) {
 * … }}. Tensors created inside belong to the innermost open scope unless {@link Ops#retain}ed (each
 * tensor holds native memory that the Java garbage collector does not see).
 */
public final class Scope implements AutoCloseable {
  private final PointerScope scope = new PointerScope();

  Scope() {}

  /** Frees every native object created in the scope and not retained. */
  @Override
  public void close() {
    scope.close();
  }
}
