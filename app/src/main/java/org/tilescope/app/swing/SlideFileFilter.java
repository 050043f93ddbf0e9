package org.tilescope.app.swing;

import java.io.File;
import java.util.Locale;
import java.util.Set;
import javax.swing.JFileChooser;
import javax.swing.filechooser.FileFilter;

/**
 * The open dialog's "Slides" filter: the file types Tilescope reads, plus folders (a FastPATH
 * slide is a folder, and folders must stay visible to be walked into).
 */
public final class SlideFileFilter extends FileFilter {
    static final Set<String> EXTENSIONS = Set.of("dzi", "svs", "tif", "tiff");

    @Override
    public boolean accept(File f) {
        if (f.isDirectory()) {
            return true;
        }
        String name = f.getName().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }

    @Override
    public String getDescription() {
        return "Slides (.dzi, .svs, .tif, .tiff, FastPATH folders)";
    }

    /** Adds the filter to {@code fc} and selects it; "All Files" stays available. */
    public static void install(JFileChooser fc) {
        SlideFileFilter f = new SlideFileFilter();
        fc.addChoosableFileFilter(f);
        fc.setFileFilter(f);
    }
}
