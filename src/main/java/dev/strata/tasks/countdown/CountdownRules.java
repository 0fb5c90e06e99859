package dev.strata.tasks.countdown;

import dev.strata.energy.Breakdown;
import dev.strata.energy.Energy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule energy of a Countdown answer (steps {@code a op b = c} separated by commas): one per
 * malformed step, one per step whose arithmetic is wrong (c is not a op b, or not a non-negative
 * integer), one per operand that is neither an unused input number nor an earlier result still
 * available (reused or invented numbers), one per input number left unused, and the distance of the
 * last result to the target, squashed to [0, 1) as d/(d+1) so that any wrong answer costs at least
 * something and a near miss less than a wrong step. 0 exactly on a valid solution.
 */
public final class CountdownRules implements Energy<Countdown, String> {
  public static final String MALFORMED = "malformed steps";
  public static final String ARITHMETIC = "invalid arithmetic";
  public static final String OPERANDS = "unavailable operands";
  public static final String UNUSED = "unused numbers";
  public static final String DISTANCE = "distance to target";

  /** One parsed step. */
  public record Step(long a, char op, long b, long c) {}

  @Override
  public float[] energies(Countdown problem, List<String> candidates) {
    float[] e = new float[candidates.size()];
    for (int i = 0; i < e.length; i++) {
      float[] t = terms(problem, candidates.get(i));
      e[i] = t[0] + t[1] + t[2] + t[3] + t[4];
    }
    return e;
  }

  @Override
  public Breakdown explain(Countdown problem, String answer) {
    float[] t = terms(problem, answer);
    Map<String, Float> m = new LinkedHashMap<>();
    m.put(MALFORMED, t[0]);
    m.put(ARITHMETIC, t[1]);
    m.put(OPERANDS, t[2]);
    m.put(UNUSED, t[3]);
    m.put(DISTANCE, t[4]);
    return new Breakdown(t[0] + t[1] + t[2] + t[3] + t[4], m);
  }

  /** Parses "a op b = c"; null when malformed. */
  public static Step parseStep(String s) {
    int eq = s.indexOf('=');
    if (eq < 0) return null;
    String lhs = s.substring(0, eq);
    int opAt = -1;
    for (int i = 1; i < lhs.length(); i++) {
      if ("+-*/".indexOf(lhs.charAt(i)) >= 0) {
        opAt = i;
        break;
      }
    }
    if (opAt < 0) return null;
    try {
      return new Step(
          Long.parseLong(lhs.substring(0, opAt).strip()),
          lhs.charAt(opAt),
          Long.parseLong(lhs.substring(opAt + 1).strip()),
          Long.parseLong(s.substring(eq + 1).strip()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The value of a op b, or −1 when it is not a non-negative integer (zero is allowed: the CD4
   * reference answers use it, e.g. {@code 84-84=0,76*0=0,89+0=89}; division by zero is not).
   */
  public static long apply(long a, char op, long b) {
    return switch (op) {
      case '+' -> a + b;
      case '-' -> a - b >= 0 ? a - b : -1;
      case '*' -> a * b;
      case '/' -> b != 0 && a % b == 0 ? a / b : -1;
      default -> -1;
    };
  }

  /** {malformed, arithmetic, operands, unused, distance}. */
  public static float[] terms(Countdown problem, String answer) {
    float[] t = new float[5];
    List<Long> pool = new ArrayList<>();
    for (int n : problem.numbers()) pool.add((long) n);
    int inputsLeft = pool.size();
    List<Boolean> isInput = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) isInput.add(true);
    long last = -1;
    String[] steps = answer.isBlank() ? new String[0] : answer.split(",");
    for (String s : steps) {
      Step st = parseStep(s);
      if (st == null) {
        t[0]++;
        continue;
      }
      for (long operand : new long[] {st.a(), st.b()}) {
        int at = pool.indexOf(operand);
        if (at < 0) {
          t[2]++;
        } else {
          if (isInput.get(at)) inputsLeft--;
          pool.remove(at);
          isInput.remove(at);
        }
      }
      if (apply(st.a(), st.op(), st.b()) != st.c() || st.c() < 0) t[1]++;
      pool.add(st.c());
      isInput.add(false);
      last = st.c();
    }
    t[3] = inputsLeft;
    long d = last < 0 ? problem.target() : Math.abs(last - problem.target());
    t[4] = d == 0 ? 0 : (float) d / (d + 1);
    return t;
  }

  /**
   * The character offset where the first faulty step of {@code answer} starts (malformed, wrong
   * arithmetic, an operand not available), or of its last step when every step is sound but the
   * answer misses the target or leaves a number unused; −1 when it solves the problem.
   */
  public static int firstFault(Countdown problem, String answer) {
    if (solves(problem, answer)) return -1;
    List<Long> pool = new ArrayList<>();
    for (int n : problem.numbers()) pool.add((long) n);
    String[] steps = answer.isBlank() ? new String[0] : answer.split(",", -1);
    int at = 0;
    int lastStart = 0;
    for (String s : steps) {
      Step st = parseStep(s);
      if (st == null || apply(st.a(), st.op(), st.b()) != st.c() || st.c() < 0) return at;
      if (!pool.remove(st.a()) || !pool.remove(st.b())) return at;
      pool.add(st.c());
      lastStart = at;
      at += s.length() + 1;
    }
    return lastStart;
  }

  public static boolean solves(Countdown problem, String answer) {
    float[] t = terms(problem, answer);
    return t[0] + t[1] + t[2] + t[3] + t[4] == 0;
  }
}
