package dev.strata.world;

/**
 * The parameters of {@link TwoRoom} that a dataset depends on, stored in every dataset header so a
 * dataset of another environment configuration is refused. The geometry (canvas 224, borders, the
 * wall and its door) is fixed by LeWM's environment; these are its dynamics, episode and
 * behaviour-policy parameters.
 *
 * @param speed pixels moved per unit action (q' = q + speed·a)
 * @param sigma the agent blob's Gaussian σ in pixels
 * @param successRadius a goal counts as reached within this distance (pixels)
 * @param maxSteps the longest episode of the behaviour policy
 * @param expertNoise standard deviation of the Gaussian noise added to the expert's unit direction
 * @param doorReach the expert heads for the door centre until it is this close, then for the target
 * @param minDoorPath pairs with (‖start − door‖ + ‖target − door‖)/speed below this are rejected
 */
public record TwoRoomConfig(
    String name,
    double speed,
    double sigma,
    double successRadius,
    int maxSteps,
    double expertNoise,
    double doorReach,
    double minDoorPath) {

  public TwoRoomConfig {
    if (!(speed > 0
        && sigma > 0
        && successRadius > 0
        && maxSteps > 0
        && expertNoise >= 0
        && doorReach > 0)) {
      throw new IllegalArgumentException("bad Two-Room configuration: " + name);
    }
  }

  /** The spec's environment and behaviour policy. */
  public static final TwoRoomConfig DEFAULT =
      new TwoRoomConfig("two-room", 5.0, 7.0, 16.0, 100, 2.0, 10.5, 25.0);
}
