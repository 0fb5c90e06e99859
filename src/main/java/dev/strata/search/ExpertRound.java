package dev.strata.search;

/**
 * What one round of {@link ExpertIteration} (or {@link SupervisedRounds}, {@link RlooRounds}) did
 * and what its proposer scores (round 0: the starting proposer, nothing trained).
 *
 * @param round 0 for the starting proposer, then 1, 2, …
 * @param problems unlabelled problems drawn this round
 * @param skipped of them, left out for equalling a held-out problem
 * @param accepted problems whose search ended with an answer the verifier accepts
 * @param trainEvaluations energy evaluations the searches spent on the drawn problems, per problem
 * @param examples accepted answers trained on this round (this round's and the earlier rounds')
 * @param steps optimizer steps of this round's fine-tuning (0: nothing to train on yet)
 * @param heldOut the proposer after this round, on the held-out problems
 * @param cpuSeconds process CPU seconds of the round's sampling, search and fine-tuning (not its
 *     evaluation)
 * @param fineTuneCpuSeconds of them, the fine-tuning's
 * @param cumulativeCpuSeconds the same, summed over rounds 1..round
 * @param wallSeconds wall time of the round, evaluation included
 * @param checkpoint the round's proposer: the starting checkpoint as given for round 0, else the
 *     round's run directory relative to the loop's output directory
 * @param informativeGroups RLOO: the fraction of the round's groups of K samples whose rewards were
 *     not all equal (the others have zero advantage, so no gradient); 0 for the other methods
 */
public record ExpertRound(
    int round,
    int problems,
    int skipped,
    int accepted,
    double trainEvaluations,
    int examples,
    long steps,
    PassRates heldOut,
    double cpuSeconds,
    double fineTuneCpuSeconds,
    double cumulativeCpuSeconds,
    double wallSeconds,
    String checkpoint,
    double informativeGroups) {}
