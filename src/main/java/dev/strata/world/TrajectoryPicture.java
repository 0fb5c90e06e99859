package dev.strata.world;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A picture of planning episodes drawn on the Two-Room map itself: the room (walls and door as the
 * environment renders them), and per episode its start (dot), goal (the success circle), the first
 * plan rolled out open loop in the true dynamics (dashed) and the path actually executed with
 * replanning (solid). One colour per episode; a caption line per episode says reached or missed.
 */
public final class TrajectoryPicture {
  private static final int SCALE = 3; // 224-pixel canvas drawn at 672 × 672
  private static final Color[] COLOURS = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2)
  };

  private TrajectoryPicture() {}

  /** Draws up to six episodes to {@code png} (written to a temporary file, then renamed). */
  public static void write(Path png, TwoRoomConfig env, List<WorldEval.EpisodeResult> episodes)
      throws IOException {
    int n = Math.min(episodes.size(), COLOURS.length);
    int side = TwoRoom.CANVAS * SCALE;
    int caption = 22 * (n + 1);
    BufferedImage image = new BufferedImage(side, side + caption, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, side, side + caption);
    drawRoom(g, new TwoRoomRenderer(env.sigma()));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    for (int i = 0; i < n; i++) {
      WorldEval.EpisodeResult e = episodes.get(i);
      Color c = COLOURS[i];
      g.setColor(c);
      double r = env.successRadius() * SCALE; // the success circle around the goal
      g.setStroke(new BasicStroke(2f));
      g.draw(
          new Ellipse2D.Double(
              e.task().goalX() * SCALE - r, e.task().goalY() * SCALE - r, 2 * r, 2 * r));
      if (e.firstPlanPath() != null) {
        g.setStroke(
            new BasicStroke(
                2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 6f}, 0f));
        g.draw(path(e.firstPlanPath()[0], e.firstPlanPath()[1]));
      }
      g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.draw(path(e.xs(), e.ys()));
      g.fill(new Ellipse2D.Double(e.xs()[0] * SCALE - 6, e.ys()[0] * SCALE - 6, 12, 12));
      g.drawString(
          String.format(
              "episode %d: %s, final distance %.1f px in %d steps",
              i + 1, e.success() ? "reached" : "missed", e.finalDistance(), e.steps()),
          10,
          side + 20 * (i + 1));
    }
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString(
        "dot = start, circle = goal (success radius), dashed = first plan (open loop), solid = executed",
        10,
        side + 20 * (n + 1));
    g.dispose();
    Path dir = png.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".trajectories", ".png");
    try {
      ImageIO.write(image, "png", tmp.toFile());
      Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The walls exactly as the environment renders them (black where its background is black). */
  private static void drawRoom(Graphics2D g, TwoRoomRenderer renderer) {
    g.setColor(new Color(0x333333));
    for (int r = 0; r < TwoRoom.CANVAS; r++) {
      for (int c = 0; c < TwoRoom.CANVAS; c++) {
        if (renderer.background(c, r) == 0) g.fillRect(c * SCALE, r * SCALE, SCALE, SCALE);
      }
    }
  }

  private static Path2D path(double[] xs, double[] ys) {
    Path2D p = new Path2D.Double();
    p.moveTo(xs[0] * SCALE, ys[0] * SCALE);
    for (int i = 1; i < xs.length; i++) p.lineTo(xs[i] * SCALE, ys[i] * SCALE);
    return p;
  }
}
