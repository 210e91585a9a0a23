package org.evault.bench.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * A line chart drawn with Java2D (headless), logarithmic on both axes: enough for the paper's
 * Figures 3 and 4 (a rate and a time against document size) without a plotting library.
 */
final class Plot {
    record Point(double x, double y) {
    }

    record Series(String name, Color color, List<Point> points) {
    }

    /** A horizontal reference line, e.g. what the paper reported. */
    record Reference(String label, double y) {
    }

    private static final int W = 960;
    private static final int H = 600;
    private static final int LEFT = 100;
    private static final int RIGHT = 40;
    private static final int TOP = 70;
    private static final int BOTTOM = 80;

    private final String title;
    private final String subtitle;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();

    Plot(String title, String subtitle, String xLabel, String yLabel) {
        this.title = title;
        this.subtitle = subtitle;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    Plot add(Series s) {
        series.add(s);
        return this;
    }

    Plot reference(Reference r) {
        references.add(r);
        return this;
    }

    void write(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double xMin = Double.MAX_VALUE;
        double xMax = 0;
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : series) {
            for (Point p : s.points()) {
                xMin = Math.min(xMin, p.x());
                xMax = Math.max(xMax, p.x());
                yMin = Math.min(yMin, p.y());
                yMax = Math.max(yMax, p.y());
            }
        }
        for (Reference r : references) {
            yMin = Math.min(yMin, r.y());
            yMax = Math.max(yMax, r.y());
        }
        // Whole decades on y (1, 2, 5 ticks), exact powers of two on x.
        double y0 = Math.pow(10, Math.floor(Math.log10(yMin)));
        double y1 = Math.pow(10, Math.ceil(Math.log10(yMax)));
        if (y1 <= y0) {
            y1 = y0 * 10;
        }
        double x0 = xMin;
        double x1 = xMax > xMin ? xMax : xMin * 2;

        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        Axis ax = new Axis(LEFT, pw, x0, x1);
        Axis ay = new Axis(TOP + ph, -ph, y0, y1);

        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        // Grid and ticks.
        for (double x = x0; x <= x1 * 1.0001; x *= 2) {
            int px = ax.pixel(x);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(px, TOP, px, TOP + ph);
            g.setColor(Color.DARK_GRAY);
            String t = x >= 1024 ? fmt(x / 1024) + " MiB" : fmt(x) + " KiB";
            g.drawString(t, px - fm.stringWidth(t) / 2, TOP + ph + 20);
        }
        for (double decade = y0; decade < y1 * 1.0001; decade *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                double y = decade * m;
                if (y > y1 * 1.0001) {
                    break;
                }
                int py = ay.pixel(y);
                g.setColor(m == 1 ? new Color(200, 200, 200) : new Color(235, 235, 235));
                g.drawLine(LEFT, py, LEFT + pw, py);
                g.setColor(Color.DARK_GRAY);
                String t = fmt(y);
                g.drawString(t, LEFT - 8 - fm.stringWidth(t), py + fm.getAscent() / 2 - 1);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);

        // References (dashed).
        for (Reference r : references) {
            int py = ay.pixel(r.y());
            g.setColor(new Color(120, 120, 120));
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0));
            g.drawLine(LEFT, py, LEFT + pw, py);
            g.setStroke(new BasicStroke(1));
            g.drawString(r.label(), LEFT + 10, py - 6);
        }

        // Series.
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2.5f));
            Path2D line = new Path2D.Double();
            boolean first = true;
            for (Point p : s.points()) {
                if (first) {
                    line.moveTo(ax.pixel(p.x()), ay.pixel(p.y()));
                    first = false;
                } else {
                    line.lineTo(ax.pixel(p.x()), ay.pixel(p.y()));
                }
            }
            g.draw(line);
            for (Point p : s.points()) {
                g.fillOval(ax.pixel(p.x()) - 5, ay.pixel(p.y()) - 5, 10, 10);
            }
        }
        g.setStroke(new BasicStroke(1));

        // Legend in the corner that covers the fewest data points.
        int lw = 0;
        for (Series s : series) {
            lw = Math.max(lw, fm.stringWidth(s.name()));
        }
        int boxW = lw + 55;
        int boxH = series.size() * 22 + 8;
        int[][] corners = {{LEFT + pw - boxW - 10, TOP + 10}, {LEFT + 10, TOP + 10}, {LEFT + pw - boxW - 10, TOP + ph - boxH - 10},
            {LEFT + 10, TOP + ph - boxH - 10}};
        int[] best = corners[0];
        int fewest = Integer.MAX_VALUE;
        for (int[] c : corners) {
            int covered = 0;
            for (Series s : series) {
                for (Point p : s.points()) {
                    int px = ax.pixel(p.x());
                    int py = ay.pixel(p.y());
                    if (px >= c[0] - 15 && px <= c[0] + boxW + 15 && py >= c[1] - 15 && py <= c[1] + boxH + 15) {
                        covered++;
                    }
                }
            }
            if (covered < fewest) {
                fewest = covered;
                best = c;
            }
        }
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(best[0], best[1], boxW, boxH);
        g.setColor(Color.GRAY);
        g.drawRect(best[0], best[1], boxW, boxH);
        int lx = best[0] + 10;
        int ly = best[1] + 20;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2.5f));
            g.drawLine(lx, ly - 5, lx + 30, ly - 5);
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.BLACK);
            g.drawString(s.name(), lx + 38, ly);
            ly += 22;
        }

        // Titles.
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, TOP - 38);
        g.setFont(small);
        g.setColor(Color.DARK_GRAY);
        g.drawString(subtitle, LEFT, TOP - 14);
        g.setColor(Color.BLACK);
        g.setFont(label);
        fm = g.getFontMetrics();
        g.drawString(xLabel, LEFT + pw / 2 - fm.stringWidth(xLabel) / 2, H - 30);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(TOP + ph / 2) - fm.stringWidth(yLabel) / 2, 30);
        g.setTransform(saved);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.format("%,d", (long) v);
        }
        return String.format("%.2g", v);
    }

    /** A logarithmic axis from value range [v0, v1] onto pixels [start, start + length]. */
    private record Axis(int start, int length, double v0, double v1) {
        int pixel(double v) {
            return (int) Math.round(start + length * (Math.log(v / v0) / Math.log(v1 / v0)));
        }
    }
}
