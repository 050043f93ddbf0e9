package org.tilescope.app.ui;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javax.swing.BorderFactory;
import javax.swing.ImageIcon;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JEditorPane;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.SwingUtilities;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/** File, format, size, levels, tiling, MPP, magnification, and buttons for associated images. */
public final class InfoPanel extends JPanel {
    private final JEditorPane text = new JEditorPane("text/html", "");
    private final JPanel associated = new JPanel(new FlowLayout(FlowLayout.LEFT));
    private SlideInfo shown;

    public InfoPanel() {
        super(new BorderLayout());
        text.setEditable(false);
        setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));
        add(new JScrollPane(text), BorderLayout.CENTER);
        add(associated, BorderLayout.SOUTH);
        setPreferredSize(new Dimension(300, 400));
    }

    public SlideInfo shown() {
        return shown;
    }

    public String text() {
        return text.getText();
    }

    public void show(SlideInfo info) {
        Edt.assertEdt();
        shown = info;
        StringBuilder b = new StringBuilder("<html><body style='font-family:sans-serif;font-size:10px'><table>");
        row(b, "File", info.path().getFileName().toString());
        row(b, "Folder", String.valueOf(info.path().getParent()));
        row(b, "Format", info.format());
        row(b, "Dimensions", String.format(Locale.ROOT, "%,d × %,d px", info.width(), info.height()));
        row(b, "Tile size", info.tileWidth() + " × " + info.tileHeight() + (info.overlap() > 0 ? ", overlap " + info.overlap() : ""));
        row(b, "MPP", info.mpp().isPresent() ? String.format(Locale.ROOT, "%.4f µm/px", info.mpp().getAsDouble()) : "unknown");
        row(b, "Magnification", info.magnification().isPresent()
                ? String.format(Locale.ROOT, "%.0f×", info.magnification().getAsDouble()) : "unknown");
        row(b, "Levels", Integer.toString(info.levelCount()));
        b.append("</table><table cellspacing=0><tr><th align=left>#</th><th align=left>size</th><th align=left>ds</th><th align=left>tiles</th></tr>");
        for (LevelInfo l : info.levels()) {
            b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%,d×%,d</td><td>%.4g</td><td>%d×%d</td></tr>",
                    l.index(), l.width(), l.height(), l.downsample(), l.cols(), l.rows()));
        }
        b.append("</table>");
        row(b, "Associated", info.associated().isEmpty() ? "none" : String.join(", ", info.associated()));
        b.append("</body></html>");
        text.setText(b.toString());
        text.setCaretPosition(0);
        associated.removeAll();
        for (String name : info.associated()) {
            JButton view = new JButton("View " + name);
            view.addActionListener(e -> showAssociated(info, name));
            associated.add(view);
        }
        associated.revalidate();
        associated.repaint();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><td><b>").append(k).append("</b></td><td>").append(escape(v)).append("</td></tr>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Reads the image in the background and shows it in a dialog. */
    private void showAssociated(SlideInfo info, String name) {
        CompletableFuture.supplyAsync(() -> {
            try (SlideSource src = Slides.open(info.path())) {
                return src.readAssociated(name);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }).whenComplete((BufferedImage img, Throwable err) -> Edt.run(() -> {
            if (err != null) {
                Throwable c = err.getCause() != null ? err.getCause() : err;
                JOptionPane.showMessageDialog(this, c.getMessage(), "Cannot show " + name, JOptionPane.ERROR_MESSAGE);
                return;
            }
            JDialog d = new JDialog(SwingUtilities.getWindowAncestor(this), name + " — " + info.path().getFileName());
            d.add(new JScrollPane(new JLabel(new ImageIcon(img))));
            d.setSize(Math.min(1000, img.getWidth() + 40), Math.min(800, img.getHeight() + 60));
            d.setLocationRelativeTo(this);
            d.setVisible(true);
        }));
    }
}
