package org.tilescope.app.navigator;

import org.tilescope.app.swing.Edt;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.ImageIcon;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.ListCellRenderer;
import javax.swing.ListSelectionModel;
import javax.swing.UIManager;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.region.Region;
import org.tilescope.engine.region.Thumbnails;
import org.tilescope.engine.slide.SlideFolder;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/**
 * The slides of the open slide's folder, each with a thumbnail made in the background, its name,
 * size, and for a slide that does not read, the reason. Selecting an entry opens it.
 */
public final class SlideNavigator extends JPanel {
    static final int THUMB = 72;

    /** One slide of the folder; fields other than path are filled in the background. */
    public static final class Entry {
        final Path path;
        volatile ImageIcon thumbnail;
        volatile String detail = "…";
        volatile String error;
        /** Every tile is in L2 (the preloader says so); EDT only. */
        boolean cached;

        Entry(Path path) {
            this.path = path;
        }

        public Path path() {
            return path;
        }

        public String error() {
            return error;
        }

        /** True when the navigator shows this slide as fully in L2. */
        public boolean cached() {
            return cached;
        }

        public boolean loaded() {
            return thumbnail != null || error != null;
        }

        @Override
        public String toString() {
            return path.getFileName().toString();
        }
    }

    private final DefaultListModel<Entry> model = new DefaultListModel<>();
    private final JList<Entry> list = new JList<>(model);
    private final ExecutorService thumbnails;
    private final AtomicLong folderGeneration = new AtomicLong();
    private Path folder;
    private Path current;
    private boolean updating;
    private BiConsumer<Path, List<Path>> folderListener = (dir, slides) -> { };
    private Predicate<Path> cachedTest = p -> false;
    private final javax.swing.JTextArea errorBanner = new javax.swing.JTextArea();
    private String listingError;

    public SlideNavigator(Consumer<Path> open) {
        super(new BorderLayout());
        thumbnails = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                Thread.ofPlatform().name("tilescope-thumbnails-", 0).daemon(true).factory());
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.setCellRenderer(new Renderer());
        list.addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting() && !updating && list.getSelectedValue() != null) {
                open.accept(list.getSelectedValue().path);
            }
        });
        JLabel title = new JLabel("Slides");
        title.setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));
        title.setFont(title.getFont().deriveFont(Font.BOLD));
        errorBanner.setForeground(new Color(0xD32F2F));
        errorBanner.setBorder(BorderFactory.createEmptyBorder(2, 8, 8, 8));
        errorBanner.setEditable(false);
        errorBanner.setOpaque(false);
        errorBanner.setLineWrap(true);
        errorBanner.setWrapStyleWord(true);
        errorBanner.setFont(UIManager.getFont("Label.font"));
        errorBanner.setVisible(false);
        JPanel top = new JPanel(new BorderLayout());
        top.setOpaque(false);
        top.add(title, BorderLayout.NORTH);
        top.add(errorBanner, BorderLayout.CENTER);
        add(top, BorderLayout.NORTH);
        add(new JScrollPane(list), BorderLayout.CENTER);
        setPreferredSize(new Dimension(260, 400));
    }

    public JList<Entry> slideList() {
        return list;
    }

    public Path folder() {
        return folder;
    }

    /** Hears each folder listing on the EDT, once its entries are in the list: the folder and its slides. */
    public void setFolderListener(BiConsumer<Path, List<Path>> l) {
        folderListener = l;
    }

    /** Tells whether a slide is fully in L2; must be cheap (a set lookup): it runs on the EDT. */
    public void setCachedTest(Predicate<Path> test) {
        cachedTest = test;
    }

    /** Longest a thumbnail waits for the viewer's own tiles before it is made anyway. */
    static final long MAX_YIELD_NANOS = 500_000_000L;

    /**
     * While this says the viewer has tiles on their way to the screen, thumbnails wait (up to
     * {@value #MAX_YIELD_NANOS} ns each): they decode on the same cores, and a slide just opened
     * must turn sharp first.
     */
    public void setForegroundBusy(java.util.function.BooleanSupplier busy) {
        foregroundBusy = busy;
    }

    private volatile java.util.function.BooleanSupplier foregroundBusy = () -> false;

    /** Background: waits while the viewer's tiles are in flight, at most {@link #MAX_YIELD_NANOS}. */
    private void yieldToForeground() {
        long deadline = System.nanoTime() + MAX_YIELD_NANOS;
        while (foregroundBusy.getAsBoolean() && System.nanoTime() - deadline < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
        }
    }

    /** Re-asks the cached test for every entry and repaints only the rows that changed. */
    public void refreshCached() {
        Edt.assertEdt();
        for (int i = 0; i < model.size(); i++) {
            Entry e = model.get(i);
            boolean c = cachedTest.test(e.path);
            if (c != e.cached) {
                e.cached = c;
                updating = true;
                try {
                    model.set(i, e); // fires a change event: the row repaints
                } finally {
                    updating = false;
                }
            }
        }
    }

    /** The slides listed now, in order. */
    public List<Path> slides() {
        return entries().stream().map(Entry::path).toList();
    }

    /**
     * Lists the folder of {@code slide} (a slide file or a FastPATH folder, as opened) and marks
     * the slide current. Asks the disk nothing here: the folder follows from the path, and the
     * listing runs in the background.
     */
    public void showFolderOf(Path slide) {
        Edt.assertEdt();
        Path abs = slide.toAbsolutePath().normalize();
        current = abs;
        Path dir = SlideFolder.folderOf(abs);
        if (!dir.equals(folder)) {
            load(dir);
        } else {
            select(abs);
        }
    }

    /**
     * Lists the folder off the EDT (it may be a slow share), then fills the list on the EDT. A
     * folder that cannot be listed shows why, above an empty list.
     */
    void load(Path dir) {
        folder = dir;
        long gen = folderGeneration.incrementAndGet();
        thumbnails.submit(() -> {
            List<Path> slides;
            String error = null;
            try {
                slides = SlideFolder.list(dir);
            } catch (IOException | RuntimeException e) {
                slides = List.of();
                error = listingReason(e);
            }
            List<Path> found = slides;
            String why = error;
            Edt.run(() -> {
                if (gen != folderGeneration.get()) {
                    return;
                }
                showListingError(dir, why);
                updating = true;
                try {
                    model.clear();
                    for (Path p : found) {
                        model.addElement(new Entry(p));
                    }
                } finally {
                    updating = false;
                }
                if (current != null) {
                    select(current);
                }
                refreshCached();
                for (int i = 0; i < model.size(); i++) {
                    Entry e = model.get(i);
                    int index = i;
                    thumbnails.submit(() -> loadEntry(e, index, gen));
                }
                folderListener.accept(dir, found);
            });
        });
    }

    /** Why a listing failed, in words: the exceptions of the file API often carry only the path. */
    static String listingReason(Exception e) {
        Throwable t = e instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        String reason = switch (t) {
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.NoSuchFileException n -> "no such folder";
            case java.nio.file.NotDirectoryException n -> "not a folder";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
            default -> t.getMessage() == null ? t.toString() : t.getMessage();
        };
        return reason;
    }

    private void showListingError(Path dir, String reason) {
        listingError = reason == null ? null : dir + ": " + reason;
        if (reason == null) {
            errorBanner.setVisible(false);
            return;
        }
        // the folder and the reason, wrapped to the panel's width (a long path breaks anywhere)
        errorBanner.setText("⚠ Cannot list this folder\n" + dir + "\n" + reason.replace(dir + ": ", ""));
        errorBanner.setToolTipText(listingError);
        errorBanner.setVisible(true);
        revalidate();
    }

    /** The folder and why it could not be listed, or null when the listing worked. */
    public String listingError() {
        return listingError;
    }

    /** Background: reads the slide's info and renders its thumbnail; never on the EDT. */
    private void loadEntry(Entry e, int index, long gen) {
        if (gen != folderGeneration.get()) {
            return; // another folder is shown now
        }
        yieldToForeground();
        try (SlideSource src = Slides.open(e.path)) {
            SlideInfo info = src.info();
            Region r = Thumbnails.render(src, TileDecoder.standard(), THUMB);
            BufferedImage img = r.image();
            e.detail = String.format(Locale.ROOT, "%,d × %,d  ·  %s", info.width(), info.height(), sizeOnDisk(e.path));
            e.thumbnail = new ImageIcon(img);
        } catch (IOException | RuntimeException ex) {
            e.error = ex.getMessage() == null ? ex.toString() : ex.getMessage().replace(e.path.toString() + ": ", "");
            e.detail = sizeOnDisk(e.path);
        }
        Edt.run(() -> {
            if (gen == folderGeneration.get() && index < model.size() && model.get(index) == e) {
                model.set(index, e); // fires a change event: the row repaints
            }
        });
    }

    static String sizeOnDisk(Path p) {
        long bytes;
        try {
            bytes = treeBytes(p);
            String name = p.getFileName().toString();
            if (!Files.isDirectory(p) && name.endsWith(".dzi")) {
                bytes += treeBytes(p.resolveSibling(name.substring(0, name.length() - 4) + "_files"));
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    }

    /** Bytes of a file, or of every file under a folder; 0 when it does not exist. */
    private static long treeBytes(Path p) throws IOException {
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Highlights the current slide without reopening it. */
    public void select(Path slide) {
        Path abs = slide.toAbsolutePath().normalize();
        current = abs;
        updating = true;
        try {
            for (int i = 0; i < model.size(); i++) {
                if (model.get(i).path.toAbsolutePath().normalize().equals(abs)) {
                    list.setSelectedIndex(i);
                    list.ensureIndexIsVisible(i);
                    return;
                }
            }
            list.clearSelection();
        } finally {
            updating = false;
        }
    }

    /** The slide {@code step} entries away from the current one, or null at the ends. */
    public Path neighbour(int step) {
        int i = list.getSelectedIndex();
        int j = i + step;
        if (i < 0 || j < 0 || j >= model.size()) {
            return null;
        }
        return model.get(j).path;
    }

    public List<Entry> entries() {
        return java.util.Collections.list(model.elements());
    }

    public void shutdown() {
        thumbnails.shutdownNow();
    }

    static final Color CACHED_GREEN = new Color(0x2E9D4A);

    private static final class Renderer extends JPanel implements ListCellRenderer<Entry> {
        private final JLabel icon = new JLabel();
        private final JLabel name = new JLabel();
        private final JLabel detail = new JLabel();
        private final JLabel cached = new JLabel("●  in cache");
        private final JLabel error = new JLabel();

        Renderer() {
            super(new BorderLayout(8, 0));
            setBorder(BorderFactory.createEmptyBorder(4, 6, 4, 6));
            icon.setPreferredSize(new Dimension(THUMB, THUMB));
            icon.setHorizontalAlignment(JLabel.CENTER);
            JPanel text = new JPanel();
            text.setOpaque(false);
            text.setLayout(new javax.swing.BoxLayout(text, javax.swing.BoxLayout.Y_AXIS));
            name.setFont(name.getFont().deriveFont(Font.BOLD));
            detail.setFont(detail.getFont().deriveFont(11f));
            error.setFont(error.getFont().deriveFont(11f));
            error.setForeground(new Color(0xD32F2F));
            cached.setFont(detail.getFont());
            cached.setToolTipText("Every tile of this slide is in the memory cache: opening it reads nothing from disk");
            text.add(name);
            text.add(detail);
            text.add(cached);
            text.add(error);
            add(icon, BorderLayout.WEST);
            add(text, BorderLayout.CENTER);
        }

        @Override
        public Component getListCellRendererComponent(JList<? extends Entry> list, Entry e, int index,
                                                      boolean selected, boolean focus) {
            name.setText(e.path.getFileName().toString());
            detail.setText(e.detail);
            String err = e.error;
            error.setText(err == null ? "" : "⚠ " + shorten(err));
            error.setToolTipText(err);
            error.setVisible(err != null);
            cached.setVisible(e.cached);
            ImageIcon t = e.thumbnail;
            icon.setIcon(t);
            icon.setText(t == null && err == null ? "…" : null);
            Color bg = selected ? UIManager.getColor("List.selectionBackground") : list.getBackground();
            Color fg = selected ? UIManager.getColor("List.selectionForeground") : list.getForeground();
            setBackground(bg);
            name.setForeground(fg);
            detail.setForeground(fg);
            cached.setForeground(selected ? fg : CACHED_GREEN);
            setToolTipText(err);
            return this;
        }

        private static String shorten(String s) {
            return s.length() > 60 ? s.substring(0, 57) + "…" : s;
        }
    }

    /** For tests: the list component. */
    JComponent listComponent() {
        return list;
    }

    /** For tests: thumbnails are Image icons. */
    public static Image iconImage(Entry e) {
        return e.thumbnail == null ? null : e.thumbnail.getImage();
    }
}
