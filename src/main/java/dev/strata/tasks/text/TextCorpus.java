package dev.strata.tasks.text;

import dev.strata.nn.Ops;
import dev.strata.nn.Tensor;
import dev.strata.train.Provenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A tokenised text split into train and validation parts the way nanoGPT splits {@code
 * shakespeare_char}: the first 90% of characters train, the last 10% validate.
 */
public final class TextCorpus {
  public final CharTokenizer tokenizer;
  private final long[] train;
  private final long[] val;

  /** One batch of next-token prediction: inputs and targets, both int64 (B, T). */
  public record Batch(Tensor inputs, Tensor targets) {}

  public TextCorpus(String text, double trainFraction) {
    if (text.length() < 1000) {
      throw new IllegalArgumentException(
          "the text has only "
              + text.length()
              + " characters; a language model needs at least 1000");
    }
    this.tokenizer = CharTokenizer.fit(text);
    long[] ids = tokenizer.encode(text);
    int cut = (int) (ids.length * trainFraction);
    this.train = java.util.Arrays.copyOfRange(ids, 0, cut);
    this.val = java.util.Arrays.copyOfRange(ids, cut, ids.length);
  }

  /** Reads a UTF-8 text file; a missing or unreadable file is a clear error. */
  public static TextCorpus load(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Provenance.noteInput(file);
      return new TextCorpus(text, 0.9);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "data file not found: "
              + file
              + " (give --data a UTF-8 text file, e.g. ../shared/data/tinyshakespeare/input.txt)");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read data file " + file + ": " + e.getMessage());
    }
  }

  public long trainTokens() {
    return train.length;
  }

  public long valTokens() {
    return val.length;
  }

  /**
   * Batch number {@code index} of random windows from the training split. It is a pure function of
   * (seed, index), so training resumes exactly from a step count.
   */
  public Batch trainBatch(long seed, long index, int batch, int context) {
    return windows(train, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index), batch, context);
  }

  /** Validation batch number {@code index} (a fixed set for a given seed). */
  public Batch valBatch(long seed, long index, int batch, int context) {
    return windows(val, new SplittableRandom(~seed * 0xBF58476D1CE4E5B9L + index), batch, context);
  }

  /**
   * {@code n} validation windows of {@code length} tokens that start with {@code first} (a newline,
   * say), spread evenly over the validation split: real text to set samples that start the same way
   * against.
   */
  public long[][] valWindowsStartingWith(long first, int n, int length) {
    int[] starts =
        java.util.stream.IntStream.range(0, val.length - length + 1)
            .filter(i -> val[i] == first)
            .toArray();
    if (starts.length < n) {
      throw new IllegalArgumentException(
          "the validation split has "
              + starts.length
              + " windows of "
              + length
              + " tokens starting with token "
              + first
              + ", fewer than the "
              + n
              + " asked for");
    }
    long[][] out = new long[n][];
    for (int i = 0; i < n; i++) {
      int s = starts[(int) ((long) i * starts.length / n)];
      out[i] = java.util.Arrays.copyOfRange(val, s, s + length);
    }
    return out;
  }

  private static Batch windows(long[] ids, SplittableRandom rng, int batch, int context) {
    if (ids.length <= context + 1) {
      throw new IllegalArgumentException(
          "context " + context + " is longer than the split (" + ids.length + " tokens)");
    }
    long[] x = new long[batch * context];
    long[] y = new long[batch * context];
    for (int b = 0; b < batch; b++) {
      int start = rng.nextInt(ids.length - context - 1);
      System.arraycopy(ids, start, x, b * context, context);
      System.arraycopy(ids, start + 1, y, b * context, context);
    }
    return new Batch(Ops.tensor(x, batch, context), Ops.tensor(y, batch, context));
  }
}
