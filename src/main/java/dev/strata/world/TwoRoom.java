package dev.strata.world;

import java.util.SplittableRandom;

/**
 * The Two-Room navigation environment of LeWM (exactly as its reference implementation): a 224×224
 * canvas, pixel coordinates with the origin top-left and x the column. Two rooms are split by a
 * wall at columns [107, 117] with a door at rows [35, 63]; the agent is a red Gaussian blob that
 * moves by {@code speed·a} per step, a ∈ [−1, 1]², clamped to [21, 203] and stopped by the wall
 * unless it passes through the door.
 *
 * <p>{@link #reset(long)} samples an episode as the reference data does: a start and a target in
 * opposite rooms with a long enough path through the door. Rendering is {@link TwoRoomRenderer}.
 */
public final class TwoRoom implements Env {
  public static final int CANVAS = 224;
  public static final double LO = 21;
  public static final double HI = 203;

  /** The wall's black columns, inclusive, and the door's open rows, inclusive. */
  public static final int WALL_X0 = 107;

  public static final int WALL_X1 = 117;
  public static final int DOOR_Y0 = 35;
  public static final int DOOR_Y1 = 63;

  /** The centre column of the wall: an agent with x &lt; 112 is in the left room. */
  public static final double MID_X = 112;

  /** The agent's collision rule: "in the door" between these rows; stopped at these columns. */
  public static final double DOOR_LO = 33.25;

  public static final double DOOR_HI = 64.75;
  public static final double LEFT_STOP = 99.5;
  public static final double RIGHT_STOP = 124.5;
  public static final double LEFT_LIMIT = 100;
  public static final double RIGHT_LIMIT = 124;

  /** The door centre the expert heads for. */
  public static final double DOOR_X = 112;

  public static final double DOOR_Y = 49;

  public final TwoRoomConfig config;
  private final TwoRoomRenderer renderer;
  private double x;
  private double y;
  private double goalX;
  private double goalY;
  private int steps;

  public TwoRoom(TwoRoomConfig config) {
    this.config = config;
    this.renderer = new TwoRoomRenderer(config.sigma());
  }

  public TwoRoom() {
    this(TwoRoomConfig.DEFAULT);
  }

  @Override
  public int stateDim() {
    return 2;
  }

  @Override
  public int actionDim() {
    return 2;
  }

  /** Samples a start and target in opposite rooms (the reference's rule) and starts there. */
  @Override
  public double[] reset(long seed) {
    double[] pair = samplePair(new SplittableRandom(seed), config);
    return reset(pair[0], pair[1], pair[2], pair[3]);
  }

  /** Starts at (x, y) with the given target. */
  public double[] reset(double x, double y, double goalX, double goalY) {
    this.x = x;
    this.y = y;
    this.goalX = goalX;
    this.goalY = goalY;
    this.steps = 0;
    return state();
  }

  /**
   * A start and target (x₀, y₀, x₁, y₁) in opposite rooms: targets with x ∈ [100, 124] (and starts
   * there too, inside the wall's reach) are rejected, and so are pairs whose path through the door
   * is short, (‖start − door‖ + ‖target − door‖)/speed &lt; minDoorPath.
   */
  public static double[] samplePair(SplittableRandom rng, TwoRoomConfig config) {
    while (true) {
      double sx = uniform(rng), sy = uniform(rng);
      double tx = uniform(rng), ty = uniform(rng);
      if (inWallBand(sx) || inWallBand(tx)) continue;
      if ((sx < MID_X) == (tx < MID_X)) continue; // opposite rooms only
      double path = Math.hypot(sx - DOOR_X, sy - DOOR_Y) + Math.hypot(tx - DOOR_X, ty - DOOR_Y);
      if (path / config.speed() < config.minDoorPath()) continue;
      return new double[] {sx, sy, tx, ty};
    }
  }

  private static double uniform(SplittableRandom rng) {
    return LO + (HI - LO) * rng.nextDouble();
  }

  private static boolean inWallBand(double x) {
    return x >= LEFT_LIMIT && x <= RIGHT_LIMIT;
  }

  @Override
  public Step step(double[] action) {
    double[] next = move(x, y, action[0], action[1], config.speed());
    x = next[0];
    y = next[1];
    steps++;
    return new Step(
        state(), reached(x, y, goalX, goalY, config.successRadius()) || steps >= config.maxSteps());
  }

  /**
   * The dynamics: q' = clamp(q + speed·clip(a), 21, 203), then the wall: an agent that started on
   * the left (x &lt; 112) and ends at x' &gt; 100 outside the door rows is put back at x' = 99.5;
   * one that started on the right and ends at x' &lt; 124 outside the door at 124.5.
   */
  public static double[] move(double x, double y, double ax, double ay, double speed) {
    double nx = clamp(x + speed * clamp(ax, -1, 1), LO, HI);
    double ny = clamp(y + speed * clamp(ay, -1, 1), LO, HI);
    boolean inDoor = ny >= DOOR_LO && ny <= DOOR_HI;
    if (x < MID_X) {
      if (nx > LEFT_LIMIT && !inDoor) nx = LEFT_STOP;
    } else if (nx < RIGHT_LIMIT && !inDoor) {
      nx = RIGHT_STOP;
    }
    return new double[] {nx, ny};
  }

  static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /** Success: ‖q − goal‖ ≤ radius. */
  public static boolean reached(double x, double y, double gx, double gy, double radius) {
    return Math.hypot(x - gx, y - gy) <= radius;
  }

  @Override
  public double[] state() {
    return new double[] {x, y};
  }

  /** The episode's target (x, y). */
  public double[] goal() {
    return new double[] {goalX, goalY};
  }

  public int steps() {
    return steps;
  }

  @Override
  public void render(int size, float[] out, int offset) {
    renderer.render(x, y, size, out, offset);
  }

  public TwoRoomRenderer renderer() {
    return renderer;
  }
}
