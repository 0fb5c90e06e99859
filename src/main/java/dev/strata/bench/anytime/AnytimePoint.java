package dev.strata.bench.anytime;

/**
 * One combination at one budget, over a set of problems.
 *
 * @param budget energy evaluations allowed per problem
 * @param problems problems run
 * @param solved problems whose answer at this budget is correct
 * @param accuracy solved / problems
 * @param wilsonLow lower end of the Wilson 95% interval of the accuracy
 * @param wilsonHigh upper end of the Wilson 95% interval
 * @param meanEvaluations energy evaluations actually used per problem (fewer than the budget when
 *     the search accepted a candidate or ran out of moves earlier)
 * @param meanCpuSeconds process CPU seconds per problem (all threads)
 * @param meanProposals candidates drawn from the proposer per problem
 */
public record AnytimePoint(
    long budget,
    int problems,
    int solved,
    double accuracy,
    double wilsonLow,
    double wilsonHigh,
    double meanEvaluations,
    double meanCpuSeconds,
    double meanProposals) {}
