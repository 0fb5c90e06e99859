package dev.strata.propose;

/**
 * How a task's problems and answers become token sequences for an autoregressive proposer: the
 * prompt (the problem, ending with a separator), the answer of fixed length, and back. It also
 * carries the two hooks of constrained decoding: tokens a partial candidate already fixes (for
 * {@link Proposer#complete}), and the tokens the task's constraints still allow at a position
 * (constraint masking).
 */
public interface SequenceCodec<P, X> {

  /** Number of token ids. */
  int vocab();

  /** The problem as tokens, including a final separator. */
  long[] prompt(P problem);

  /** Length of the answer in tokens. */
  int answerLength(P problem);

  /** A candidate as answer tokens ({@link #answerLength} of them). */
  long[] answer(P problem, X candidate);

  /** Answer tokens back to a candidate. */
  X decode(P problem, long[] answer);

  /**
   * The token {@code partial} fixes at answer position {@code t}, or −1 when it leaves the position
   * open.
   */
  long fixed(P problem, X partial, int t);

  /**
   * Constraint masking: the tokens allowed at answer position {@code t} given the answer so far
   * ({@code answer[0..t)}), or null for no constraint. An all-false mask is treated as no
   * constraint (a dead end the energy will judge).
   */
  default boolean[] allowed(P problem, long[] answer, int t) {
    return null;
  }
}
