package dev.strata.nn;

import org.bytedeco.javacpp.PointerScope;

/**
 * A native-memory scope: every tensor created inside it (on this thread) is freed when it closes,
 * so loops outside {@code nn} and {@code train} keep native memory flat without handling JavaCPP
 * types. Open one with {@link Ops#scope()} in a try-with-resources.
 */
public final class Scope implements AutoCloseable {
  private final PointerScope scope = new PointerScope();

  Scope() {}

  @Override
  public void close() {
    scope.close();
  }
}
