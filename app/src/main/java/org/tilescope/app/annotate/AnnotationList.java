package org.tilescope.app.annotate;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import javax.swing.BorderFactory;
import javax.swing.JComboBox;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.ListSelectionModel;
import javax.swing.table.AbstractTableModel;
import org.locationtech.jts.geom.Envelope;
import org.tilescope.app.swing.Edt;
import org.tilescope.engine.annotation.Annotation;

/**
 * The annotations of the slide in view as a table: name, class, area (µm² with an MPP, else px²)
 * and length; a click selects one and centres the view on it; a class filter narrows the list.
 * It follows the controller: every edit, load and selection refreshes it on the EDT.
 */
public final class AnnotationList extends JPanel {
    static final String ALL = "All classes";
    static final String NONE = "Unclassified";

    private final AnnotationController controller;
    private final JComboBox<String> classFilter = new JComboBox<>();
    private final Model model = new Model();
    private final JTable table = new JTable(model);
    private final JLabel count = new JLabel(" ");
    private boolean refreshing;

    public AnnotationList(AnnotationController controller) {
        super(new BorderLayout(4, 4));
        this.controller = controller;
        setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));
        JPanel top = new JPanel(new BorderLayout(6, 0));
        top.add(classFilter, BorderLayout.CENTER);
        top.add(count, BorderLayout.EAST);
        add(top, BorderLayout.NORTH);
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.setAutoCreateRowSorter(true);
        table.getSelectionModel().addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting() && !refreshing) {
                showSelected();
            }
        });
        JScrollPane scroll = new JScrollPane(table);
        scroll.setPreferredSize(new Dimension(420, 320));
        add(scroll, BorderLayout.CENTER);
        classFilter.addActionListener(e -> {
            if (!refreshing) {
                refresh();
            }
        });
        controller.addListener(this::refresh);
        refresh();
    }

    /** Re-reads the set; keeps the filter when its class still exists. */
    public void refresh() {
        Edt.assertEdt();
        refreshing = true;
        try {
            String chosen = (String) classFilter.getSelectedItem();
            List<String> classes = new ArrayList<>();
            classes.add(ALL);
            List<Annotation> all = controller.set() == null ? List.of() : controller.set().all();
            for (Annotation a : all) {
                String c = className(a);
                if (!classes.contains(c)) {
                    classes.add(c);
                }
            }
            classFilter.removeAllItems();
            classes.forEach(classFilter::addItem);
            classFilter.setSelectedItem(chosen != null && classes.contains(chosen) ? chosen : ALL);
            String filter = (String) classFilter.getSelectedItem();
            List<Annotation> shown = all.stream().filter(a -> ALL.equals(filter) || className(a).equals(filter)).toList();
            model.set(shown, mpp());
            count.setText(shown.size() + " of " + all.size());
        } finally {
            refreshing = false;
        }
    }

    /** The rows shown, in model order (tests). */
    List<Annotation> rows() {
        return List.copyOf(model.rows);
    }

    /** Selects row {@code i} (in view order), as a click does. */
    void clickRow(int i) {
        table.getSelectionModel().setSelectionInterval(i, i);
    }

    private void showSelected() {
        int viewRow = table.getSelectedRow();
        if (viewRow < 0) {
            return;
        }
        Annotation a = model.rows.get(table.convertRowIndexToModel(viewRow));
        controller.select(a, false);
        Envelope e = a.geometry().getEnvelopeInternal();
        var pane = controller.pane();
        if (pane.view() != null) {
            pane.setView(pane.view().withCentre((e.getMinX() + e.getMaxX()) / 2, (e.getMinY() + e.getMaxY()) / 2));
        }
    }

    private OptionalDouble mpp() {
        var slide = controller.pane().slide();
        return slide == null ? OptionalDouble.empty() : slide.info().mpp();
    }

    static String className(Annotation a) {
        return a.classification() == null ? NONE : a.classification().name();
    }

    private static final class Model extends AbstractTableModel {
        private static final String[] COLUMNS = {"Name", "Class", "Area", "Length"};
        private List<Annotation> rows = List.of();
        private OptionalDouble mpp = OptionalDouble.empty();

        void set(List<Annotation> r, OptionalDouble m) {
            rows = List.copyOf(r);
            mpp = m;
            fireTableDataChanged();
        }

        @Override
        public int getRowCount() {
            return rows.size();
        }

        @Override
        public int getColumnCount() {
            return COLUMNS.length;
        }

        @Override
        public String getColumnName(int c) {
            return COLUMNS[c];
        }

        @Override
        public Object getValueAt(int r, int c) {
            Annotation a = rows.get(r);
            return switch (c) {
                case 0 -> Objects.requireNonNullElse(a.name(), "");
                case 1 -> className(a);
                case 2 -> a.isArea() ? Measures.area(a.area(), mpp) : "";
                default -> a.length() > 0 ? Measures.length(a.length(), mpp) : "";
            };
        }
    }
}
