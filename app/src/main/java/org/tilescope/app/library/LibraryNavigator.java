package org.tilescope.app.library;

import org.tilescope.app.swing.Edt;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.DefaultListCellRenderer;
import javax.swing.DefaultListModel;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;
import javax.swing.UIManager;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import org.tilescope.engine.library.LibraryScan;
import org.tilescope.engine.library.SearchQuery;
import org.tilescope.engine.library.SearchResult;

/**
 * The navigator with the library around it: a search field whose results show as the user
 * types (name, tags, the note's words around the match in bold), a status line (how many
 * found, whether a scan or an index reload runs), and the tags with their counts (a click
 * filters). With the field empty, the folder's slides show as before.
 */
public final class LibraryNavigator extends JPanel {
    static final String FOLDER_CARD = "folder";
    static final String RESULTS_CARD = "results";

    private final WindowLibrary library;
    private final Consumer<Path> open;
    private final JTextField field = new JTextField();
    private final JLabel status = new JLabel(" ");
    private final CardLayout cards = new CardLayout();
    private final JPanel centre = new JPanel(cards);
    private final DefaultListModel<SearchResult.Hit> hits = new DefaultListModel<>();
    private final JList<SearchResult.Hit> results = new JList<>(hits);
    private final DefaultListModel<Map.Entry<String, Integer>> tagModel = new DefaultListModel<>();
    private final JList<Map.Entry<String, Integer>> tags = new JList<>(tagModel);
    /** Each query typed gets the next number; a result older than the newest shown is dropped. */
    private final AtomicLong queries = new AtomicLong();
    private long shownQuery;
    private SearchResult lastResult;
    private boolean updating;

    /**
     * @param folderView the plain folder list, shown while the field is empty
     * @param open       opens a slide (EDT)
     */
    public LibraryNavigator(WindowLibrary library, JComponent folderView, Consumer<Path> open) {
        super(new BorderLayout());
        this.library = library;
        this.open = open;
        field.putClientProperty("JTextField.placeholderText", "Search the library");
        field.setToolTipText("Words in names and notes; \"a phrase\"; tag:x; format:tiff");
        field.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                query();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                query();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                query();
            }
        });
        // Down goes to the results, Enter opens the first, Escape clears
        field.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_DOWN, 0), "to-results");
        field.getActionMap().put("to-results", action(() -> {
            if (!hits.isEmpty()) {
                results.requestFocusInWindow();
                results.setSelectedIndex(0);
            }
        }));
        field.addActionListener(e -> {
            if (!hits.isEmpty() && results.getSelectedIndex() < 0) {
                results.setSelectedIndex(0);
            }
        });
        field.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), "clear");
        field.getActionMap().put("clear", action(() -> field.setText("")));
        status.setFont(status.getFont().deriveFont(11f));
        status.setBorder(BorderFactory.createEmptyBorder(2, 2, 4, 2));
        JPanel top = new JPanel(new BorderLayout(0, 2));
        top.setBorder(BorderFactory.createEmptyBorder(6, 6, 0, 6));
        top.add(field, BorderLayout.NORTH);
        top.add(status, BorderLayout.SOUTH);

        results.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        results.setCellRenderer(new HitRenderer());
        results.addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting() && !updating && results.getSelectedValue() != null) {
                open.accept(results.getSelectedValue().path());
            }
        });
        centre.add(folderView, FOLDER_CARD);
        centre.add(new JScrollPane(results, JScrollPane.VERTICAL_SCROLLBAR_AS_NEEDED,
                JScrollPane.HORIZONTAL_SCROLLBAR_NEVER), RESULTS_CARD);

        tags.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        tags.setCellRenderer(new DefaultListCellRenderer() {
            @Override
            public Component getListCellRendererComponent(JList<?> list, Object value, int index, boolean sel, boolean focus) {
                @SuppressWarnings("unchecked")
                Map.Entry<String, Integer> t = (Map.Entry<String, Integer>) value;
                return super.getListCellRendererComponent(list, t.getKey() + "   " + t.getValue(), index, sel, focus);
            }
        });
        tags.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent e) {
                int i = tags.locationToIndex(e.getPoint());
                if (i >= 0 && tags.getCellBounds(i, i).contains(e.getPoint())) {
                    filterByTag(tagModel.get(i).getKey());
                }
            }
        });
        JLabel tagTitle = new JLabel("Tags");
        tagTitle.setFont(tagTitle.getFont().deriveFont(Font.BOLD));
        tagTitle.setBorder(BorderFactory.createEmptyBorder(4, 6, 4, 6));
        tagTitle.setToolTipText("Click a tag to show its slides");
        JPanel tagPanel = new JPanel(new BorderLayout());
        tagPanel.add(tagTitle, BorderLayout.NORTH);
        tagPanel.add(new JScrollPane(tags), BorderLayout.CENTER);
        tagPanel.setMinimumSize(new Dimension(100, 60));

        JPanel upper = new JPanel(new BorderLayout());
        upper.add(top, BorderLayout.NORTH);
        upper.add(centre, BorderLayout.CENTER);
        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, upper, tagPanel);
        split.setResizeWeight(0.8);
        split.setBorder(null);
        add(split, BorderLayout.CENTER);
        library.addChangeListener(this::libraryChanged);
        libraryChanged();
    }

    /** The search field (tests, focus). */
    public JTextField searchField() {
        return field;
    }

    /** The hits shown now, best first. */
    public List<SearchResult.Hit> hits() {
        return java.util.Collections.list(hits.elements());
    }

    /** The status line's text. */
    public String statusText() {
        return status.getText();
    }

    /** The tag panel's rows: tag to count, as shown. */
    public List<Map.Entry<String, Integer>> tagRows() {
        return java.util.Collections.list(tagModel.elements());
    }

    /** Whether the results list shows (the field holds a query) rather than the folder. */
    public boolean showingResults() {
        return !field.getText().isBlank();
    }

    /** Adds {@code tag:x} to the query (the tag panel's click). */
    public void filterByTag(String tag) {
        Edt.assertEdt();
        String filter = "tag:" + tag;
        String text = field.getText().strip();
        if (!(" " + text + " ").contains(" " + filter + " ")) {
            field.setText(text.isEmpty() ? filter + " " : text + " " + filter + " ");
        }
        field.requestFocusInWindow();
    }

    /** Searches what the field holds now, off the EDT; only the newest query's result is shown. */
    private void query() {
        String text = field.getText();
        long n = queries.incrementAndGet();
        if (text.isBlank()) {
            shownQuery = n;
            lastResult = null;
            cards.show(centre, FOLDER_CARD);
            setHits(List.of());
            updateStatus();
            return;
        }
        cards.show(centre, RESULTS_CARD);
        library.search(lib -> lib.search(SearchQuery.live(text)), r -> {
            if (n < shownQuery || n != queries.get()) {
                return; // a newer query was typed meanwhile
            }
            shownQuery = n;
            lastResult = r;
            setHits(r.hits());
            updateStatus();
        });
    }

    private void setHits(List<SearchResult.Hit> found) {
        Path selected = results.getSelectedValue() == null ? null : results.getSelectedValue().path();
        updating = true;
        try {
            hits.clear();
            List<SearchResult.Hit> copy = new ArrayList<>(found);
            for (SearchResult.Hit h : copy) {
                hits.addElement(h);
            }
            for (int i = 0; i < hits.size(); i++) {
                if (hits.get(i).path().equals(selected)) {
                    results.setSelectedIndex(i);
                }
            }
        } finally {
            updating = false;
        }
    }

    /** The library changed (coalesced, EDT): search again, count tags again, say where the scan is. */
    private void libraryChanged() {
        if (!field.getText().isBlank()) {
            query();
        }
        library.read(lib -> lib.tagCounts(), this::showTags);
        updateStatus();
    }

    private void showTags(SortedMap<String, Integer> counts) {
        List<Map.Entry<String, Integer>> now = new ArrayList<>(counts.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue())).toList());
        if (!now.equals(tagRows())) {
            tagModel.clear();
            now.forEach(tagModel::addElement);
        }
    }

    private void updateStatus() {
        String why = library.unavailable();
        if (why != null) {
            status.setText("No library: " + why);
            status.setToolTipText(why);
            return;
        }
        var lib = library.now();
        if (lib == null) {
            status.setText("Opening the library…");
            return;
        }
        List<String> parts = new ArrayList<>();
        SearchResult r = lastResult;
        if (r != null) {
            parts.add(r.total() == 0 ? "nothing found"
                    : String.format(Locale.ROOT, "%,d %s", r.total(), r.total() == 1 ? "match" : "matches")
                            + (r.fuzzy() ? " (near misses)" : ""));
        }
        LibraryScan.Status s = library.scanStatus();
        if (s != null && !s.done()) {
            parts.add(s.describe());
        }
        if (lib.indexReloading() || (r != null && r.reloading())) {
            parts.add("index reloading");
        }
        if (r != null && s != null && s.done()) {
            parts.add(s.describe());
        }
        if (parts.isEmpty()) {
            parts.add(s != null ? s.describe() + " in the library" : lib.roots().isEmpty()
                    ? "Open a folder to add it to the library" : "Type to search the library");
        }
        String text = String.join(" · ", parts);
        status.setText(text);
        status.setToolTipText(text);
    }

    /** One hit: its name, its format and tags, and the snippet with the match in bold. */
    private static final class HitRenderer extends DefaultListCellRenderer {
        HitRenderer() {
            setVerticalAlignment(TOP);
        }

        @Override
        public Component getListCellRendererComponent(JList<?> list, Object value, int index, boolean sel, boolean focus) {
            SearchResult.Hit h = (SearchResult.Hit) value;
            // wrap to the visible width (the list's own width grows to its widest row)
            int width = list.getParent() instanceof javax.swing.JViewport v ? v.getWidth() : list.getWidth();
            super.getListCellRendererComponent(list, html(h, Math.max(120, width - 16), list.getFontMetrics(list.getFont()), sel),
                    index, sel, focus);
            setBorder(BorderFactory.createCompoundBorder(
                    BorderFactory.createMatteBorder(0, 0, 1, 0, UIManager.getColor("Separator.foreground") == null
                            ? Color.LIGHT_GRAY : UIManager.getColor("Separator.foreground")),
                    BorderFactory.createEmptyBorder(4, 6, 4, 6)));
            setToolTipText(h.path().toString());
            return this;
        }
    }

    private static javax.swing.Action action(Runnable r) {
        return new javax.swing.AbstractAction() {
            @Override
            public void actionPerformed(java.awt.event.ActionEvent e) {
                r.run();
            }
        };
    }

    /** Lines of snippet shown per hit. */
    static final int SNIPPET_LINES = 3;

    /**
     * Word-wraps {@code text} to {@code width} pixels, with a tenth kept spare for the bold
     * match; at most {@code maxLines} lines, each {start, end}.
     */
    static List<int[]> wrap(String text, int width, java.awt.FontMetrics fm, int maxLines) {
        int room = width * 9 / 10;
        List<int[]> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length() && lines.size() < maxLines) {
            int end = start;
            int lastSpace = -1;
            while (end < text.length() && fm.stringWidth(text.substring(start, end + 1)) <= room) {
                if (text.charAt(end) == ' ') {
                    lastSpace = end;
                }
                end++;
            }
            if (end < text.length() && lastSpace > start) {
                end = lastSpace;
            }
            end = Math.max(end, start + 1);
            lines.add(new int[] {start, end});
            start = end;
            while (start < text.length() && text.charAt(start) == ' ') {
                start++;
            }
        }
        return lines;
    }

    /** Characters of a snippet kept before its match. */
    static final int LEAD = 50;

    /** The hit as HTML, wrapped to {@code width} pixels. */
    static String html(SearchResult.Hit h, int width, java.awt.FontMetrics fm, boolean selected) {
        StringBuilder b = new StringBuilder("<html><b>")
                .append(escape(h.name())).append("</b> <font color='").append(selected ? "#dddddd" : "#888888")
                .append("'>").append(escape(h.format())).append("</font>");
        if (!h.tags().isEmpty()) {
            b.append("<br><font color='").append(selected ? "#ffffff" : "#2e7d32").append("'>");
            for (String t : h.tags()) {
                b.append("#").append(escape(t)).append(' ');
            }
            b.append("</font>");
        }
        String snippet = h.snippet();
        if (!snippet.isEmpty()) {
            int start = Math.clamp(h.matchStart(), 0, snippet.length());
            int end = Math.clamp(h.matchEnd(), start, snippet.length());
            String before = snippet.substring(0, start);
            if (before.length() > LEAD) {
                // a few words before the match, from a word start: the match is on the first lines
                int cut = before.indexOf(' ', before.length() - LEAD);
                before = "…" + before.substring(cut < 0 ? before.length() - LEAD : cut + 1);
            }
            String text = before + snippet.substring(start, end) + snippet.substring(end);
            final int boldFrom = before.length();
            final int boldTo = boldFrom + (end - start);
            // wrapped here, by the list's font (a label's HTML does not wrap to a list's width)
            List<int[]> lines = wrap(text, width, fm, SNIPPET_LINES);
            for (int[] line : lines) {
                b.append("<br>");
                boolean bold = false;
                for (int i = line[0]; i < line[1]; i++) {
                    boolean inMatch = i >= boldFrom && i < boldTo;
                    if (inMatch != bold) {
                        b.append(inMatch ? "<b>" : "</b>");
                        bold = inMatch;
                    }
                    b.append(escape(String.valueOf(text.charAt(i))));
                }
                if (bold) {
                    b.append("</b>");
                }
            }
            if (!lines.isEmpty() && lines.getLast()[1] < text.length()) {
                b.append("…");
            }
        }
        return b.append("</html>").toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '\n', '\r' -> b.append(' ');
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
