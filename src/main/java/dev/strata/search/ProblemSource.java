package dev.strata.search;

/**
 * Unlabelled problems by index, deterministic (a generator seeded by the index): what a
 * self-improvement loop such as {@link ExpertIteration} draws its training problems from. A source
 * hands out problems only — the type {@code P} is the problem a proposer is prompted with, never a
 * problem paired with its solution — so whatever learns from it learns from verified answers of its
 * own, not from the generator's solutions.
 */
@FunctionalInterface
public interface ProblemSource<P> {
  P problem(long index);
}
