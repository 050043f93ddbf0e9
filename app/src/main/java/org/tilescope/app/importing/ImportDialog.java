package org.tilescope.app.importing;

import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JSpinner;
import javax.swing.JTextField;
import javax.swing.SpinnerNumberModel;
import org.tilescope.app.swing.Edt;
import org.tilescope.engine.importing.ImportJob;
import org.tilescope.engine.importing.ImportReport;
import org.tilescope.engine.importing.ImportRequest;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.pyramid.PyramidWriter;

/**
 * File > Import Images…: picks images or folders, an output folder, the format, tile size and
 * quality, then runs the import as a job in the progress panel and opens what it made.
 */
public final class ImportDialog {
    private ImportDialog() {
    }

    /**
     * Asks, then starts the import; {@code opened} gets the first pyramid made (or the output folder
     * when several were), on the EDT, once the job is done.
     */
    public static void show(Component parent, JobManager jobs, Consumer<Path> opened) {
        JFileChooser pick = new JFileChooser();
        pick.setDialogTitle("Import images: choose files or folders");
        pick.setMultiSelectionEnabled(true);
        pick.setFileSelectionMode(JFileChooser.FILES_AND_DIRECTORIES);
        if (pick.showOpenDialog(parent) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        List<Path> sources = Arrays.stream(pick.getSelectedFiles()).map(File::toPath).toList();
        if (sources.isEmpty()) {
            return;
        }
        Path first = sources.getFirst();
        Path defaultOut = (first.getParent() == null ? first : first.getParent()).resolve("pyramids");
        JTextField outField = new JTextField(defaultOut.toString(), 32);
        JButton browse = new JButton("Browse…");
        browse.addActionListener(e -> {
            JFileChooser dir = new JFileChooser(outField.getText());
            dir.setFileSelectionMode(JFileChooser.DIRECTORIES_ONLY);
            if (dir.showSaveDialog(parent) == JFileChooser.APPROVE_OPTION) {
                outField.setText(dir.getSelectedFile().toString());
            }
        });
        JComboBox<String> format = new JComboBox<>(new String[] {"Deep Zoom (.dzi)", "Pyramidal TIFF (.tif)"});
        JSpinner tile = new JSpinner(new SpinnerNumberModel(254, 16, 4096, 2));
        format.addActionListener(e -> tile.setValue(format.getSelectedIndex() == 1 ? 256 : 254));
        JSpinner quality = new JSpinner(new SpinnerNumberModel(80, 1, 100, 5));
        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(4, 4, 4, 4));
        GridBagConstraints c = new GridBagConstraints();
        c.insets = new Insets(3, 3, 3, 3);
        c.anchor = GridBagConstraints.WEST;
        row(form, c, 0, "Images:", new JLabel(sources.size() == 1 ? first.toString() : sources.size() + " files or folders"));
        JPanel outRow = new JPanel(new BorderLayout(4, 0));
        outRow.add(outField, BorderLayout.CENTER);
        outRow.add(browse, BorderLayout.EAST);
        row(form, c, 1, "Output folder:", outRow);
        row(form, c, 2, "Format:", format);
        row(form, c, 3, "Tile size:", tile);
        row(form, c, 4, "JPEG quality:", quality);
        if (JOptionPane.showConfirmDialog(parent, form, "Import Images", JOptionPane.OK_CANCEL_OPTION,
                JOptionPane.PLAIN_MESSAGE) != JOptionPane.OK_OPTION) {
            return;
        }
        boolean tiff = format.getSelectedIndex() == 1;
        ImportRequest req;
        try {
            int t = (Integer) tile.getValue();
            var options = new PyramidWriter.Options(tiff ? PyramidWriter.Format.TIFF : PyramidWriter.Format.DEEPZOOM,
                    tiff ? Math.max(16, t / 16 * 16) : t, tiff ? 0 : 1, (Integer) quality.getValue(),
                    Runtime.getRuntime().availableProcessors());
            req = new ImportRequest(sources, Path.of(outField.getText().trim()), options, false, Duration.ofSeconds(120));
        } catch (IllegalArgumentException e) {
            JOptionPane.showMessageDialog(parent, e.getMessage(), "Cannot import", JOptionPane.ERROR_MESSAGE);
            return;
        }
        ImportJob job = new ImportJob(req);
        jobs.submit(job).done().whenComplete((snapshot, err) -> {
            ImportReport r = job.report();
            if (r == null) {
                return;
            }
            List<Path> made = r.files().stream().filter(f -> f.outcome() != ImportReport.Outcome.FAILED
                    && f.output() != null).map(ImportReport.FileResult::output).toList();
            if (!made.isEmpty()) {
                Edt.run(() -> opened.accept(made.getFirst())); // its folder shows in the navigator with the others
            }
        });
    }

    private static void row(JPanel form, GridBagConstraints c, int y, String label, Component field) {
        c.gridy = y;
        c.gridx = 0;
        c.fill = GridBagConstraints.NONE;
        form.add(new JLabel(label), c);
        c.gridx = 1;
        c.fill = GridBagConstraints.HORIZONTAL;
        form.add(field, c);
    }
}
