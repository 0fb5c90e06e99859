package dev.strata.tasks.countdown;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates Countdown-4 problems with an exact solution: four numbers drawn from 1..99, then three
 * random steps (two random available numbers, a random operator whose result is a positive integer;
 * − and ÷ take the larger first), the last result the target. Problems whose target falls outside
 * {@code [minTarget, maxTarget]} are redrawn (the CD4 test targets lie in 14..96).
 */
public final class CountdownGenerator {
  private static final char[] OPS = {'+', '-', '*', '/'};

  /** A problem and the solution it was built from. */
  public record Generated(Countdown problem, String solution) {}

  private CountdownGenerator() {}

  public static Generated generate(SplittableRandom rng, int minTarget, int maxTarget) {
    while (true) {
      int[] numbers = new int[4];
      for (int i = 0; i < 4; i++) numbers[i] = 1 + rng.nextInt(99);
      List<Long> pool = new ArrayList<>();
      for (int n : numbers) pool.add((long) n);
      List<String> steps = new ArrayList<>();
      boolean ok = true;
      while (pool.size() > 1 && ok) {
        int i = rng.nextInt(pool.size());
        int j = rng.nextInt(pool.size() - 1);
        if (j >= i) j++;
        long a = Math.max(pool.get(i), pool.get(j));
        long b = Math.min(pool.get(i), pool.get(j));
        char op = OPS[rng.nextInt(4)];
        long c = CountdownRules.apply(a, op, b);
        if (c <= 0 || c > 100_000) {
          ok = false;
          break;
        }
        pool.remove(Math.max(i, j));
        pool.remove(Math.min(i, j));
        pool.add(c);
        steps.add(a + "" + op + b + "=" + c);
      }
      if (!ok) continue;
      long target = pool.get(0);
      if (target < minTarget || target > maxTarget) continue;
      String solution = String.join(",", steps);
      if (solution.length() > CountdownCodec.ANSWER_LENGTH) continue;
      return new Generated(new Countdown(numbers, (int) target), solution);
    }
  }
}
