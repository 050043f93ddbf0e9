package org.tilescope.app.library;

import org.tilescope.app.swing.Edt;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.event.FocusAdapter;
import java.awt.event.FocusEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.Timer;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import org.tilescope.engine.library.LibrarySlide;

/**
 * The shown slide's library side: its tags (a field adds, a chip's × removes), the note typed
 * here (saved once typing pauses and when the field loses focus), its sidecar notes, its token
 * count ("≈ 1.2k" until counted exactly), and "Copy case as LLM context". Every read and write
 * goes through {@link WindowLibrary}'s threads; the EDT never waits for the disk.
 */
public final class LibraryInfoPanel extends JPanel {
    /** A note is saved this long after the last key. */
    static final int NOTE_PAUSE_MS = 800;

    private final WindowLibrary library;
    private final CaseContextCopier copier;
    private final JLabel header = new JLabel(" ");
    private final JPanel chips = new JPanel(new WrapLayout(FlowLayout.LEFT, 4, 2));
    private final JTextField addTag = new JTextField();
    private final JTextArea note = new JTextArea(5, 20);
    private final JLabel sidecars = new JLabel(" ");
    private final JLabel tokens = new JLabel(" ");
    private final JButton copy = new JButton("Copy case as LLM context");
    private final JLabel message = new JLabel(" ");
    private final Timer noteTimer;
    private Path slide;
    private LibrarySlide record;
    /** The note field holds text not yet handed to the library, typed for {@link #notePath}. */
    private boolean noteDirty;
    private Path notePath;
    private boolean settingNote;
    private CompletableFuture<Void> lastSave = CompletableFuture.completedFuture(null);

    public LibraryInfoPanel(WindowLibrary library, CaseContextCopier copier) {
        super(new BorderLayout());
        this.library = library;
        this.copier = copier;
        setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));
        noteTimer = new Timer(NOTE_PAUSE_MS, e -> saveNote());
        noteTimer.setRepeats(false);
        header.setFont(header.getFont().deriveFont(Font.BOLD));
        addTag.putClientProperty("JTextField.placeholderText", "add tag");
        addTag.setToolTipText("Type a tag (or several, with commas) and press Enter");
        addTag.addActionListener(e -> addTags(addTag.getText()));
        note.setLineWrap(true);
        note.setWrapStyleWord(true);
        note.setToolTipText("Your note on this slide, kept in the library (sidecar files are never changed)");
        note.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                typed();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                typed();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                typed();
            }
        });
        note.addFocusListener(new FocusAdapter() {
            @Override
            public void focusLost(FocusEvent e) {
                saveNote();
            }
        });
        copy.addActionListener(e -> copyContext());
        copy.setToolTipText("Puts the slide's metadata, tags, notes and annotation names on the clipboard as Markdown");
        sidecars.setFont(sidecars.getFont().deriveFont(11f));
        message.setFont(message.getFont().deriveFont(11f));

        JPanel grid = new JPanel(new GridBagLayout());
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = 0;
        c.weightx = 1;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.anchor = GridBagConstraints.NORTHWEST;
        c.insets = new Insets(2, 0, 2, 0);
        c.gridy = 0;
        grid.add(header, c);
        c.gridy++;
        grid.add(row("Tags", chips), c);
        c.gridy++;
        grid.add(addTag, c);
        c.gridy++;
        grid.add(label("Note"), c);
        c.gridy++;
        c.weighty = 1;
        c.fill = GridBagConstraints.BOTH;
        JScrollPane noteScroll = new JScrollPane(note);
        noteScroll.setMinimumSize(new Dimension(100, 60));
        grid.add(noteScroll, c);
        c.weighty = 0;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.gridy++;
        grid.add(row("Sidecars", sidecars), c);
        c.gridy++;
        grid.add(row("Tokens", tokens), c);
        c.gridy++;
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
        buttons.add(copy);
        grid.add(buttons, c);
        c.gridy++;
        grid.add(message, c);
        add(grid, BorderLayout.CENTER);
        library.addChangeListener(this::refresh);
        setSlide(null);
    }

    private static JLabel label(String s) {
        JLabel l = new JLabel(s);
        l.setFont(l.getFont().deriveFont(Font.BOLD));
        return l;
    }

    private static JPanel row(String key, JComponent value) {
        JPanel p = new JPanel(new BorderLayout(8, 0));
        JLabel k = label(key);
        // every key as wide as the widest, so the values line up
        k.setPreferredSize(new Dimension(label("Sidecars").getPreferredSize().width + 4, k.getPreferredSize().height));
        k.setVerticalAlignment(JLabel.TOP);
        p.add(k, BorderLayout.WEST);
        p.add(value, BorderLayout.CENTER);
        return p;
    }

    /** Shows this slide's library record (null: none shown). A note typed for the last one is saved first. */
    public void setSlide(Path path) {
        Edt.assertEdt();
        saveNote();
        slide = path == null ? null : path.toAbsolutePath().normalize();
        record = null;
        setNoteText("");
        boolean any = slide != null;
        addTag.setEnabled(false);
        note.setEnabled(false);
        copy.setEnabled(any);
        message.setText(" ");
        header.setText(any ? "Library" : "Library: no slide");
        chips.removeAll();
        sidecars.setText(" ");
        tokens.setText(" ");
        refresh();
    }

    /** Reads the slide's record again (a library change, or a new slide), off the EDT. */
    private void refresh() {
        Path asked = slide;
        if (asked == null) {
            return;
        }
        library.read(lib -> lib.slide(asked), (Optional<LibrarySlide> r) -> {
            if (asked.equals(slide)) {
                show(r.orElse(null));
            }
        });
    }

    private void show(LibrarySlide s) {
        boolean first = record == null;
        record = s;
        boolean in = s != null;
        addTag.setEnabled(in);
        note.setEnabled(in);
        if (!in) {
            header.setText(library.unavailable() != null ? "Library unavailable" : "Library: not scanned yet");
            return;
        }
        header.setText("Library");
        chips.removeAll();
        for (String t : s.tags()) {
            chips.add(chip(t));
        }
        if (s.tags().isEmpty()) {
            chips.add(new JLabel("none"));
        }
        chips.revalidate();
        chips.repaint();
        // the user's own typing wins over what the library had; a note typed elsewhere shows otherwise
        if (first || (!noteDirty && !note.isFocusOwner())) {
            setNoteText(s.note());
        }
        List<String> names = new ArrayList<>();
        for (Path p : s.sidecars()) {
            names.add(LibraryNavigator.escape(p.getFileName().toString()));
        }
        sidecars.setText(names.isEmpty() ? "none" : "<html>" + String.join("<br>", names) + "</html>");
        sidecars.setToolTipText(s.sidecars().isEmpty() ? null : s.sidecars().toString());
        tokens.setText(s.tokens().isExact() ? s.tokens().label() + " (o200k_base)" : s.tokens().label());
    }

    private JComponent chip(String tag) {
        JPanel p = new JPanel(new BorderLayout(2, 0));
        p.setBorder(BorderFactory.createCompoundBorder(BorderFactory.createLineBorder(new Color(0x2E7D32), 1, true),
                BorderFactory.createEmptyBorder(0, 4, 0, 0)));
        JLabel name = new JLabel(tag);
        JButton remove = new JButton("×");
        remove.setToolTipText("Remove the tag " + tag);
        remove.setMargin(new Insets(0, 3, 0, 3));
        remove.setBorderPainted(false);
        remove.setContentAreaFilled(false);
        remove.addActionListener(e -> editTags(List.of(), List.of(tag)));
        p.add(name, BorderLayout.CENTER);
        p.add(remove, BorderLayout.EAST);
        return p;
    }

    /** Adds the tags typed (comma or space separated). */
    public void addTags(String text) {
        Edt.assertEdt();
        List<String> add = new ArrayList<>();
        for (String t : text.split("[,\\s]+")) {
            if (!t.isBlank()) {
                add.add(t.strip().toLowerCase(Locale.ROOT));
            }
        }
        if (!add.isEmpty()) {
            editTags(add, List.of());
            addTag.setText("");
        }
    }

    private void editTags(List<String> add, List<String> remove) {
        Path target = slide;
        if (target == null) {
            return;
        }
        library.read(lib -> {
            try {
                lib.editTags(target, add, remove).join();
                return null;
            } catch (RuntimeException e) {
                Throwable c = e.getCause() != null ? e.getCause() : e;
                return c.getMessage() == null ? c.toString() : c.getMessage();
            }
        }, (String error) -> {
            if (error != null) {
                message.setText("⚠ " + error);
            } else {
                refresh();
            }
        });
    }

    private void setNoteText(String s) {
        settingNote = true;
        try {
            note.setText(s);
            note.setCaretPosition(0);
        } finally {
            settingNote = false;
        }
        noteDirty = false;
    }

    private void typed() {
        if (settingNote) {
            return;
        }
        noteDirty = true;
        notePath = slide;
        noteTimer.restart();
    }

    /** Hands the note typed to the library (which writes it to disk in the background). */
    private void saveNote() {
        noteTimer.stop();
        if (!noteDirty || notePath == null) {
            return;
        }
        noteDirty = false;
        Path target = notePath;
        String text = note.getText();
        CompletableFuture<Void> saved = new CompletableFuture<>();
        lastSave = saved;
        library.read(lib -> {
            try {
                lib.setNote(target, text).join();
                return "Note saved";
            } catch (RuntimeException e) {
                return "⚠ Note not saved: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            } finally {
                saved.complete(null);
            }
        }, (String m) -> {
            if (target.equals(slide)) {
                message.setText(m);
            }
        });
    }

    /** Saves a note still being typed (before the library closes); EDT. */
    public CompletableFuture<Void> flush() {
        Edt.assertEdt();
        saveNote();
        return lastSave;
    }

    /** Puts the slide as Markdown on the clipboard, its exact token count shown here. */
    public void copyContext() {
        Edt.assertEdt();
        if (slide == null) {
            return;
        }
        saveNote();
        message.setText("Counting tokens…");
        Path target = slide;
        copier.copy(target, text -> {
            if (target.equals(slide)) {
                message.setText(text);
            }
        });
    }

    // ---------------------------------------------------------------- tests

    public String tagsText() {
        return record == null ? "" : String.join(",", record.tags());
    }

    public String tokensText() {
        return tokens.getText();
    }

    /** The sidecars' file names, comma separated. */
    public String sidecarsText() {
        return record == null ? "" : String.join(", ", record.sidecars().stream().map(p -> p.getFileName().toString()).toList());
    }

    public String messageText() {
        return message.getText();
    }

    public JTextArea noteArea() {
        return note;
    }

    public JTextField tagField() {
        return addTag;
    }

    /** Whether the shown slide's library record has been read. */
    public boolean loaded() {
        return record != null;
    }
}
