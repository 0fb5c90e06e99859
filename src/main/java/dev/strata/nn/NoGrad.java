package dev.strata.nn;

import org.bytedeco.pytorch.NoGradGuard;

/**
 * Gradient recording off on this thread until closed: {@code try (var g = Ops.noGrad()) { … }}.
 * Grad mode is thread-local, so inference and worker threads open one of their own.
 */
public final class NoGrad implements AutoCloseable {
  private final NoGradGuard guard = new NoGradGuard();

  NoGrad() {}

  /** Restores the grad mode in effect when this was opened. */
  @Override
  public void close() {
    guard.close();
  }
}
