package dev.strata.tasks.countdown;

import java.util.Arrays;

/**
 * A Countdown-4 problem: reach {@code target} from four numbers with +, −, ×, ÷, each number used
 * once, every intermediate result a non-negative integer (the CD4 references use 0). The answer is
 * three steps such as {@code 80-58=22,22/11=2,83-2=81}; the text form of a problem is the CD4
 * files' input, the numbers then the target: {@code 58,11,80,83,81}.
 */
public record Countdown(int[] numbers, int target) {

  public Countdown {
    numbers = numbers.clone();
  }

  public static Countdown parse(String input) {
    String[] p = input.strip().split(",");
    if (p.length < 3) {
      throw new IllegalArgumentException(
          "a Countdown problem is numbers then target, e.g. 58,11,80,83,81; got: " + input.strip());
    }
    int[] v = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      try {
        v[i] = Integer.parseInt(p[i].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'"
                + p[i].strip()
                + "' is not a whole number in the Countdown problem "
                + input.strip());
      }
      if (v[i] <= 0)
        throw new IllegalArgumentException(
            "Countdown numbers and target are positive, got " + v[i]);
    }
    return new Countdown(Arrays.copyOf(v, v.length - 1), v[v.length - 1]);
  }

  @Override
  public int[] numbers() {
    return numbers.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Countdown c && target == c.target && Arrays.equals(numbers, c.numbers);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(numbers) * 31 + target;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int n : numbers) sb.append(n).append(',');
    return sb.append(target).toString();
  }
}
