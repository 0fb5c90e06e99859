package dev.strata.cli;

import dev.strata.train.CheckpointException;
import dev.strata.train.TrainingDivergedException;
import java.io.UncheckedIOException;

/** Which exceptions are the user's to fix (reported in one line) rather than bugs (stack trace). */
final class UserErrors {
  private UserErrors() {}

  static boolean isUserError(Throwable e) {
    return e instanceof IllegalArgumentException
        || e instanceof UncheckedIOException
        || e instanceof CheckpointException
        || e instanceof TrainingDivergedException;
  }
}
