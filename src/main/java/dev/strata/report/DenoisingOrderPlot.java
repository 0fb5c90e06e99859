package dev.strata.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * A picture of a masked-diffusion sampler's denoising order for one sequence: positions across,
 * steps down. A cell is grey while its position is masked, dark blue at the step it is committed,
 * light blue once decoded, red at an edit; positions given from the start (never masked) are dark
 * grey throughout.
 */
public final class DenoisingOrderPlot {
  private static final Color MASKED = new Color(0xdddddd);
  private static final Color GIVEN = new Color(0x555555);
  private static final Color COMMIT = new Color(0x1f3f9f);
  private static final Color DECODED = new Color(0x9fc3ef);
  private static final Color EDIT = new Color(0xd62728);

  private DenoisingOrderPlot() {}

  /**
   * @param committedAt per position, the step it was committed at (−1: given from the start)
   * @param editSteps per position, the steps at which it was edited
   * @param steps steps the sampler took (rows)
   */
  public static void write(Path png, String title, int[] committedAt, int[][] editSteps, int steps)
      throws IOException {
    int len = committedAt.length;
    int rows = Math.max(1, steps);
    int cw = Math.max(2, Math.min(24, 1200 / Math.max(1, len)));
    int ch = Math.max(1, Math.min(24, 800 / rows));
    int left = 50;
    int top = 34;
    int width = Math.max(520, left + len * cw + 10);
    int height = top + rows * ch + 30;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    for (int p = 0; p < len; p++) {
      boolean[] edited = new boolean[rows];
      for (int s : editSteps[p]) if (s >= 0 && s < rows) edited[s] = true;
      for (int s = 0; s < rows; s++) {
        Color c =
            committedAt[p] < 0
                ? GIVEN
                : s < committedAt[p] ? MASKED : s == committedAt[p] ? COMMIT : DECODED;
        if (edited[s]) c = EDIT;
        g.setColor(c);
        g.fillRect(left + p * cw, top + s * ch, cw, ch);
      }
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, 10, 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawString("step", 8, top + 12);
    g.drawString(String.valueOf(rows - 1), 8, top + rows * ch);
    g.drawString(
        "position 0 … "
            + (len - 1)
            + "  (grey: masked, dark blue: committed, light blue: decoded, red: edited,"
            + " dark grey: given)",
        left,
        top + rows * ch + 18);
    g.dispose();
    Path dir = png.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".order", ".png");
    try {
      ImageIO.write(image, "png", tmp.toFile());
      Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
