package dev.strata.tasks.countdown;

import dev.strata.propose.SequenceCodec;

/**
 * Countdown as characters: digits, {@code + - * / = ,}, a padding token and a separator. Prompt:
 * the input ("58,11,80,83,81") left-padded to 15 characters, then the separator; answer: the steps,
 * right-padded to {@link #ANSWER_LENGTH} characters (the first padding ends the answer).
 */
public final class CountdownCodec implements SequenceCodec<Countdown, String> {
  public static final int ANSWER_LENGTH = 40;
  public static final int PROMPT_CHARS = 15;
  private static final String CHARS = "0123456789+-*/=,";
  public static final int PAD = CHARS.length();
  public static final int SEPARATOR = PAD + 1;

  @Override
  public int vocab() {
    return CHARS.length() + 2;
  }

  @Override
  public long[] prompt(Countdown problem) {
    String s = problem.toString();
    if (s.length() > PROMPT_CHARS)
      throw new IllegalArgumentException("Countdown input too long for this model: " + s);
    long[] t = new long[PROMPT_CHARS + 1];
    int pad = PROMPT_CHARS - s.length();
    for (int i = 0; i < PROMPT_CHARS; i++) t[i] = i < pad ? PAD : CHARS.indexOf(s.charAt(i - pad));
    t[PROMPT_CHARS] = SEPARATOR;
    return t;
  }

  @Override
  public int answerLength(Countdown problem) {
    return ANSWER_LENGTH;
  }

  @Override
  public long[] answer(Countdown problem, String steps) {
    long[] t = new long[ANSWER_LENGTH];
    for (int i = 0; i < ANSWER_LENGTH; i++) {
      int k = i < steps.length() ? CHARS.indexOf(steps.charAt(i)) : PAD;
      t[i] = k < 0 ? PAD : k;
    }
    return t;
  }

  @Override
  public String decode(Countdown problem, long[] answer) {
    StringBuilder sb = new StringBuilder();
    for (long a : answer) {
      if (a >= CHARS.length()) break;
      sb.append(CHARS.charAt((int) a));
    }
    return sb.toString();
  }

  @Override
  public long fixed(Countdown problem, String partial, int t) {
    return t < partial.length() ? CHARS.indexOf(partial.charAt(t)) : -1;
  }
}
