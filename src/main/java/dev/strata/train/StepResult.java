package dev.strata.train;

/**
 * What one optimizer step did.
 *
 * @param step optimizer steps completed, this one included (the first step reports 1)
 * @param loss the loss before the update
 * @param lr the learning rate used
 * @param gradNorm the global gradient norm before clipping
 * @param seconds wall time of the step (forward, backward, clipping, update)
 * @param tokensPerSecond {@code TrainConfig.tokensPerStep / seconds}, or 0 when tokens per step is
 *     unknown
 */
public record StepResult(
    long step, double loss, double lr, double gradNorm, double seconds, double tokensPerSecond) {}
