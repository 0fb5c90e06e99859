package dev.strata.train;

import java.nio.file.Path;

/**
 * A checkpoint or safetensors file that cannot be written or read. The message is one line that
 * names the file, says what is wrong and how to fix it, so the CLI can print it as is.
 */
public final class CheckpointException extends RuntimeException {
  private final transient Path file;

  public CheckpointException(Path file, String problem, String fix) {
    this(file, problem, fix, null);
  }

  public CheckpointException(Path file, String problem, String fix, Throwable cause) {
    super(file + ": " + problem + (fix == null || fix.isEmpty() ? "" : " — " + fix), cause);
    this.file = file;
  }

  /** The file (or checkpoint directory) at fault. */
  public Path file() {
    return file;
  }
}
