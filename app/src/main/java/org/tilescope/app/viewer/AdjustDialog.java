package org.tilescope.app.viewer;

import org.tilescope.app.render.Adjustments;
import java.awt.BorderLayout;
import java.awt.GridLayout;
import java.util.Locale;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSlider;

/** Brightness, contrast and gamma sliders, applied live to the view. */
final class AdjustDialog {
    private AdjustDialog() {
    }

    static void show(JFrame owner, TilePane pane) {
        JDialog d = new JDialog(owner, "Brightness / Contrast / Gamma");
        Adjustments a = pane.adjustments();
        JSlider brightness = new JSlider(-100, 100, (int) Math.round(a.brightness() * 100));
        JSlider contrast = new JSlider(0, 300, (int) Math.round(a.contrast() * 100));
        JSlider gamma = new JSlider(20, 500, (int) Math.round(a.gamma() * 100));
        JLabel readout = new JLabel();
        Runnable update = () -> {
            Adjustments n = new Adjustments(brightness.getValue() / 100.0, contrast.getValue() / 100.0,
                    gamma.getValue() / 100.0);
            readout.setText(String.format(Locale.ROOT, "brightness %+.2f   contrast %.2f   gamma %.2f",
                    n.brightness(), n.contrast(), n.gamma()));
            pane.setAdjustments(n);
        };
        brightness.addChangeListener(e -> update.run());
        contrast.addChangeListener(e -> update.run());
        gamma.addChangeListener(e -> update.run());
        JPanel grid = new JPanel(new GridLayout(3, 2, 8, 4));
        grid.add(new JLabel("Brightness"));
        grid.add(brightness);
        grid.add(new JLabel("Contrast"));
        grid.add(contrast);
        grid.add(new JLabel("Gamma"));
        grid.add(gamma);
        JButton reset = new JButton("Reset");
        reset.addActionListener(e -> {
            brightness.setValue(0);
            contrast.setValue(100);
            gamma.setValue(100);
        });
        JPanel south = new JPanel(new BorderLayout());
        south.add(readout, BorderLayout.CENTER);
        south.add(reset, BorderLayout.EAST);
        JPanel root = new JPanel(new BorderLayout(8, 8));
        root.setBorder(BorderFactory.createEmptyBorder(10, 10, 10, 10));
        root.add(grid, BorderLayout.CENTER);
        root.add(south, BorderLayout.SOUTH);
        d.add(root);
        update.run();
        d.pack();
        d.setLocationRelativeTo(owner);
        d.setVisible(true);
    }
}
