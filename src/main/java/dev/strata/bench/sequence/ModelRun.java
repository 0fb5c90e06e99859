package dev.strata.bench.sequence;

import java.util.List;

/**
 * One architecture trained on one setting of a task, and its tests: a row group of a benchmark
 * table and a point (or curve) of its plots.
 *
 * @param task task name
 * @param setting the training setting, e.g. "T=64 K=4" or "train length 256"
 * @param arch architecture name (attention, mamba2, mamba3, hybrid)
 * @param label pattern and sizes, e.g. "MM d64 N16"
 * @param pattern layer pattern
 * @param dModel width
 * @param dState SSM state N (meaningless without M or S layers)
 * @param params trainable parameters
 * @param stateFloats recurrent state per sequence at the training length, in floats (KV cache for
 *     attention, H·P·N for SSMs)
 * @param training what training did
 * @param tests accuracy at each test length
 */
public record ModelRun(
    String task,
    String setting,
    String arch,
    String label,
    String pattern,
    int dModel,
    int dState,
    long params,
    long stateFloats,
    SequenceBench.Training training,
    List<TestPoint> tests) {}
