package dev.strata.propose;

import java.util.SplittableRandom;

/**
 * The one source of randomness handed to proposers and searches, so that a run is reproducible from a single seed.
 * Java-side choices draw from it directly; native sampling (libtorch's {@code multinomial}) is seeded from
 * {@link #nextSeed()} so both sides follow the same seed.
 */
public final class RandomSource {
    private final SplittableRandom random;

    public RandomSource(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private RandomSource(SplittableRandom random) {
        this.random = random;
    }

    /** An independent stream, e.g. one per problem of a benchmark, so results do not depend on evaluation order. */
    public RandomSource split() {
        return new RandomSource(random.split());
    }

    /** A fresh seed for a native generator. */
    public long nextSeed() {
        return random.nextLong();
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public double nextGaussian() {
        return random.nextGaussian();
    }

    public boolean nextBoolean() {
        return random.nextBoolean();
    }
}
