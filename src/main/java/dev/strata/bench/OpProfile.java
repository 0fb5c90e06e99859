package dev.strata.bench;

import dev.strata.nn.Ops;
import dev.strata.nn.Profiler;
import dev.strata.nn.Scope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a step's CPU time goes, op by op, from libtorch's own profiler (the numbers of Python's
 * {@code torch.profiler ... key_averages().table(sort_by="self_cpu_time_total")}).
 *
 * <p>Forward and backward ops are both recorded (see {@link Profiler} for the scope). Self time is
 * an op's span minus the spans of the ops it called directly on the same thread, so {@code
 * aten::linear} owns little and the {@code aten::addmm} inside it owns the GEMM. Recording slows
 * small ops several-fold (measured here: ~5–10 µs per op plain, ~20–25 µs profiled and read back),
 * so warm up before profiling, and take timings without it.
 */
public final class OpProfile {
  private OpProfile() {}

  /**
   * One op name's totals over all its calls: self time excludes its child ops, total includes them.
   */
  public record OpStat(String name, long calls, double selfMillis, double totalMillis) {}

  /**
   * Runs {@code step} {@code steps} times (each in its own {@code Scope}) with the profiler on, and
   * returns every op seen, by self CPU time, largest first.
   */
  public static synchronized List<OpStat> profile(Runnable step, int steps) {
    if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    List<Profiler.Event> events;
    Profiler.start();
    try {
      for (int i = 0; i < steps; i++) {
        try (Scope s = Ops.scope()) {
          step.run();
        }
      }
    } finally {
      events = Profiler.stop();
    }
    return aggregate(events);
  }

  /** Sums events by name, with self time from each thread's nesting of spans. */
  static List<OpStat> aggregate(List<Profiler.Event> events) {
    Map<Long, List<Profiler.Event>> byThread = new HashMap<>();
    for (var e : events) byThread.computeIfAbsent(e.threadId(), t -> new ArrayList<>()).add(e);

    Map<String, Totals> totals = new HashMap<>();
    for (var threadEvents : byThread.values()) {
      // Parents start first; at equal starts the longer span is the parent.
      threadEvents.sort(
          Comparator.comparingLong(Profiler.Event::startNs)
              .thenComparing(Comparator.comparingLong(Profiler.Event::endNs).reversed()));
      Deque<Open> open =
          new ArrayDeque<>(); // the spans enclosing the current event, innermost first
      for (var e : threadEvents) {
        while (!open.isEmpty() && open.peek().endNs() <= e.startNs()) open.pop();
        if (!open.isEmpty()) open.peek().totals().selfNs -= e.durationNs();
        Totals t = totals.computeIfAbsent(e.name(), n -> new Totals());
        t.calls++;
        t.selfNs += e.durationNs();
        t.totalNs += e.durationNs();
        open.push(new Open(e.endNs(), t));
      }
    }

    List<OpStat> stats = new ArrayList<>();
    totals.forEach(
        (name, t) -> stats.add(new OpStat(name, t.calls, t.selfNs / 1e6, t.totalNs / 1e6)));
    stats.sort(
        Comparator.comparingDouble(OpStat::selfMillis).reversed().thenComparing(OpStat::name));
    return stats;
  }

  private static final class Totals {
    long calls;
    long selfNs;
    long totalNs;
  }

  private record Open(long endNs, Totals totals) {}

  /** The {@code top} ops as a text table with each op's share of the total self time. */
  public static String table(List<OpStat> stats, int top) {
    double totalSelf = stats.stream().mapToDouble(OpStat::selfMillis).sum();
    List<OpStat> shown = stats.subList(0, Math.clamp(top, 0, stats.size()));
    int width = Math.max(2, shown.stream().mapToInt(s -> s.name().length()).max().orElse(2));
    width = Math.min(width, 60);
    String row = "%-" + width + "s %8s %10s %7s %10s %12s%n";
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT, row, "op", "calls", "self ms", "self %", "total ms", "self µs/call"));
    for (OpStat s : shown) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-" + width + "s %8d %10.3f %6.1f%% %10.3f %12.1f%n",
              ellipsize(s.name(), width),
              s.calls(),
              s.selfMillis(),
              totalSelf > 0 ? 100 * s.selfMillis() / totalSelf : 0,
              s.totalMillis(),
              1000 * s.selfMillis() / s.calls()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "(%d of %d ops; total self time %.3f ms)%n",
            shown.size(),
            stats.size(),
            totalSelf));
    return out.toString();
  }

  private static String ellipsize(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
