package org.tilescope.app.library;

import org.tilescope.app.swing.Edt;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.swing.JComponent;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JSplitPane;
import javax.swing.KeyStroke;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.library.LibraryFolders;

/**
 * The library in a window, as the window sees it: the navigator wrapped with search and tags,
 * the info panel's library part, two menu items, and the hooks for a slide shown, a folder
 * opened and the window closing.
 */
public final class LibraryUi {
    private final WindowLibrary library;
    private final LibraryNavigator navigator;
    private final LibraryInfoPanel info;
    private final CaseContextCopier copier;
    private Path shown;
    private CompletableFuture<Void> closed;

    /**
     * @param folderView the window's folder list, shown while the search field is empty
     * @param open       opens a slide in the window (EDT)
     */
    public LibraryUi(LibraryFolders folders, JobManager jobs, JComponent folderView, Consumer<Path> open) {
        Edt.assertEdt();
        library = WindowLibrary.open(folders, jobs);
        copier = new CaseContextCopier(library);
        navigator = new LibraryNavigator(library, folderView, open);
        info = new LibraryInfoPanel(library, copier);
    }

    public WindowLibrary library() {
        return library;
    }

    public LibraryNavigator navigator() {
        return navigator;
    }

    public LibraryInfoPanel infoPanel() {
        return info;
    }

    public CaseContextCopier copier() {
        return copier;
    }

    /** The window's info panel above, the library's below. */
    public JComponent infoSide(JComponent slideInfo) {
        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, slideInfo, info);
        split.setResizeWeight(0.45);
        split.setBorder(null);
        // follows the slide info's visibility (View > Slide Info)
        slideInfo.addComponentListener(new java.awt.event.ComponentAdapter() {
            @Override
            public void componentShown(java.awt.event.ComponentEvent e) {
                split.setVisible(true);
            }

            @Override
            public void componentHidden(java.awt.event.ComponentEvent e) {
                split.setVisible(false);
            }
        });
        split.setVisible(slideInfo.isVisible());
        return split;
    }

    /** A slide is shown: its folder joins the library (scanned once), the info panel shows its record. */
    public void slideShown(Path slide, Path folder) {
        Edt.assertEdt();
        library.addFolder(folder);
        if (!slide.equals(shown)) {
            shown = slide;
            info.setSlide(slide);
        }
    }

    /** A folder was opened (File > Open Folder, the command line): it becomes a library root. Any thread. */
    public void folderOpened(Path dir) {
        library.addFolder(dir);
    }

    /** Adds "Search Library", "Copy Case as LLM Context" and "Duplicates…" to the Tools menu. */
    public void addMenuItems(JMenuBar bar, Window owner) {
        int menuKey = Toolkit.getDefaultToolkit().getMenuShortcutKeyMaskEx();
        JMenuItem copy = new JMenuItem("Copy Case as LLM Context");
        copy.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_C, menuKey | InputEvent.SHIFT_DOWN_MASK));
        copy.addActionListener(e -> info.copyContext());
        JMenuItem duplicates = new JMenuItem("Duplicates…");
        duplicates.addActionListener(e -> DuplicatesDialog.show(owner, library));
        JMenuItem search = new JMenuItem("Search Library");
        search.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_F, menuKey));
        search.addActionListener(e -> navigator.searchField().requestFocusInWindow());
        JMenu tools = menu(bar, "Tools");
        tools.addSeparator();
        tools.add(search);
        tools.add(copy);
        tools.add(duplicates);
    }

    private static JMenu menu(JMenuBar bar, String name) {
        for (int i = 0; i < bar.getMenuCount(); i++) {
            JMenu m = bar.getMenu(i);
            if (m != null && name.equals(m.getText())) {
                return m;
            }
        }
        JMenu m = new JMenu(name);
        bar.add(m);
        return m;
    }

    /** The window closed: saves a note being typed, then closes the library off the EDT. */
    public CompletableFuture<Void> close() {
        Edt.assertEdt();
        CompletableFuture<Void> note = info.flush();
        closed = library.close(() -> note.exceptionally(e -> null).join());
        return closed;
    }

    /** Completes once the library is closed and on disk; null while the window is open. */
    public CompletableFuture<Void> closed() {
        return closed;
    }
}
