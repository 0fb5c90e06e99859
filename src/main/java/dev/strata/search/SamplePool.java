package dev.strata.search;

import dev.strata.propose.ArProposer;
import dev.strata.propose.Proposer;
import dev.strata.propose.RandomSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A proposer that first hands out samples drawn beforehand, then asks {@code fallback}: the samples
 * of many problems are decoded together in one batched call (far cheaper than one call per
 * problem), and any {@link Search} then runs over them problem by problem. Problems are matched by
 * identity, so pass the very objects that were sampled for.
 */
public final class SamplePool<P, X> implements Proposer<P, X> {
  private final Proposer<P, X> fallback;
  private final Map<P, List<X>> drawn = new IdentityHashMap<>();
  private final Map<P, ArrayDeque<X>> left = new IdentityHashMap<>();

  public SamplePool(Proposer<P, X> fallback) {
    this.fallback = fallback;
  }

  /**
   * {@code k} samples of each problem from {@code sampler}, all decoded in one batched call, with
   * the sampler as the fallback.
   */
  public static <P, X> SamplePool<P, X> draw(
      ArProposer<P, X> sampler, List<P> problems, int k, RandomSource rng) {
    List<P> repeated = new ArrayList<>(problems.size() * k);
    for (P p : problems) for (int i = 0; i < k; i++) repeated.add(p);
    List<ArProposer.Sample<X>> samples = sampler.sample(repeated, null, rng);
    SamplePool<P, X> pool = new SamplePool<>(sampler);
    for (int i = 0; i < repeated.size(); i++) pool.add(repeated.get(i), samples.get(i).candidate());
    return pool;
  }

  /** Adds a sample of {@code problem}; samples are handed out in the order they were added. */
  public void add(P problem, X sample) {
    drawn.computeIfAbsent(problem, p -> new ArrayList<>()).add(sample);
    left.computeIfAbsent(problem, p -> new ArrayDeque<>()).add(sample);
  }

  /** Every sample added for {@code problem}, handed out or not. */
  public List<X> drawn(P problem) {
    return List.copyOf(drawn.getOrDefault(problem, List.of()));
  }

  @Override
  public List<X> propose(P problem, int n, RandomSource rng) {
    ArrayDeque<X> queue = left.get(problem);
    if (queue == null || queue.isEmpty()) return fallback.propose(problem, n, rng);
    List<X> out = new ArrayList<>(n);
    while (out.size() < n && !queue.isEmpty()) out.add(queue.poll());
    return out;
  }

  @Override
  public List<X> complete(P problem, X partial, int n, RandomSource rng) {
    return fallback.complete(problem, partial, n, rng);
  }
}
