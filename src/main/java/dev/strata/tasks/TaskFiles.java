package dev.strata.tasks;

import dev.strata.train.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reading a task's data file, with the one-line error a user gets when it is missing. */
public final class TaskFiles {
  private TaskFiles() {}

  /**
   * The file's lines (recorded as an input of the running command, {@link Provenance}); a missing
   * file is an {@link IllegalArgumentException} naming it (a user mistake, exit 2).
   */
  public static List<String> readLines(Path file, Charset charset) {
    try {
      List<String> lines = Files.readAllLines(file, charset);
      Provenance.noteInput(file);
      return lines;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("file not found: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
