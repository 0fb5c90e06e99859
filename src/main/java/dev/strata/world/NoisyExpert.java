package dev.strata.world;

import java.util.SplittableRandom;

/**
 * The behaviour policy of the reference data (LeWM's Two-Room dataset): head for the door centre
 * (112, 49) until within {@code doorReach} of it, then for the target; the action is the unit
 * direction plus N(0, noise²) per component, clipped to [−1, 1]. One instance per episode.
 */
public final class NoisyExpert {
  private final TwoRoomConfig config;
  private final SplittableRandom rng;
  private final double goalX;
  private final double goalY;
  private boolean pastDoor;

  public NoisyExpert(TwoRoomConfig config, double goalX, double goalY, SplittableRandom rng) {
    this.config = config;
    this.goalX = goalX;
    this.goalY = goalY;
    this.rng = rng;
  }

  /** The action at position (x, y). */
  public double[] act(double x, double y) {
    if (!pastDoor && Math.hypot(x - TwoRoom.DOOR_X, y - TwoRoom.DOOR_Y) <= config.doorReach())
      pastDoor = true;
    double tx = pastDoor ? goalX : TwoRoom.DOOR_X;
    double ty = pastDoor ? goalY : TwoRoom.DOOR_Y;
    double dx = tx - x, dy = ty - y;
    double norm = Math.hypot(dx, dy);
    double ux = norm > 1e-9 ? dx / norm : 0, uy = norm > 1e-9 ? dy / norm : 0;
    return new double[] {
      TwoRoom.clamp(ux + config.expertNoise() * rng.nextGaussian(), -1, 1),
      TwoRoom.clamp(uy + config.expertNoise() * rng.nextGaussian(), -1, 1)
    };
  }
}
