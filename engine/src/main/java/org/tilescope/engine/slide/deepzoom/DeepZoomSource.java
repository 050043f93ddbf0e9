package org.tilescope.engine.slide.deepzoom;

import org.tilescope.engine.slide.local.FileStamp;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.local.LocalSlideSource;
import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.slide.SafeXml;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.TileException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.tilescope.engine.decode.TileDecoder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Deep Zoom: a {@code .dzi} descriptor and a {@code NAME_files/LEVEL/COL_ROW.EXT} tree, where the
 * file's level numbers run from 1x1 (0) up to full resolution. Also serves FastPATH's per-tile
 * layout, whose folder numbers are FastPATH levels rather than Deep Zoom ones.
 */
public final class DeepZoomSource implements LocalSlideSource {
    private final SlideInfo info;
    private final Path path;
    private final FileStamp stamp;
    private final Path filesDir;
    private final String ext;
    /** Folder number of each engine level. */
    private final int[] folderOfLevel;
    private final Path associatedThumbnail;

    public DeepZoomSource(SlideInfo info, FileStamp stamp, Path filesDir, String ext, int[] folderOfLevel,
                          Path associatedThumbnail) {
        this.info = info;
        this.path = info.file().orElseThrow();
        this.stamp = stamp;
        this.filesDir = filesDir;
        this.ext = ext;
        this.folderOfLevel = folderOfLevel.clone();
        this.associatedThumbnail = associatedThumbnail;
    }

    /** What a .dzi descriptor says. */
    public record Descriptor(String format, int tileSize, int overlap, int width, int height) {
    }

    public static Descriptor parseDescriptor(Path dzi) throws IOException {
        return parseDescriptor(dzi.toAbsolutePath().toUri(), Limits.readDescriptor(dzi));
    }

    /** What a descriptor's bytes say; {@code dzi} (a file or a URL) names it in errors. */
    public static Descriptor parseDescriptor(URI dzi, byte[] xml) throws SlideException {
        Document doc = SafeXml.parse(dzi, xml);
        Element root = doc.getDocumentElement();
        String rootName = root.getLocalName() != null ? root.getLocalName() : root.getTagName();
        if (!"Image".equals(rootName)) {
            throw new SlideException(dzi, "not a Deep Zoom descriptor (root element <" + rootName + ">, expected <Image>)");
        }
        String format = root.getAttribute("Format").trim().toLowerCase(Locale.ROOT);
        if (!(format.equals("jpg") || format.equals("jpeg") || format.equals("png"))) {
            throw new SlideException(dzi, format.isEmpty() ? "missing Format attribute"
                    : "unsupported tile format '" + format + "' (jpg, jpeg or png)");
        }
        int tileSize = intAttr(dzi, root, "TileSize");
        int overlap = root.hasAttribute("Overlap") ? intAttr(dzi, root, "Overlap") : 0;
        NodeList sizes = root.getElementsByTagNameNS("*", "Size");
        if (sizes.getLength() == 0) {
            throw new SlideException(dzi, "missing <Size> element");
        }
        Element size = (Element) sizes.item(0);
        long width = longAttr(dzi, size, "Width");
        long height = longAttr(dzi, size, "Height");
        Limits.checkDimensions(dzi, width, height);
        Limits.checkTileSize(dzi, tileSize, tileSize);
        if (overlap < 0 || overlap > tileSize) {
            throw new SlideException(dzi, "invalid Overlap " + overlap + " for TileSize " + tileSize);
        }
        return new Descriptor(format, tileSize, overlap, (int) width, (int) height);
    }

    public static SlideSource open(Path path) throws IOException {
        Path dzi = path;
        String name = path.getFileName().toString();
        if (Files.isDirectory(path) && name.endsWith("_files")) {
            dzi = path.resolveSibling(name.substring(0, name.length() - "_files".length()) + ".dzi");
        }
        FileStamp stamp = FileStamp.of(dzi); // before the parse, so a change during it shows
        Descriptor d = parseDescriptor(dzi);
        String base = dzi.getFileName().toString();
        int dot = base.lastIndexOf('.');
        Path filesDir = dzi.resolveSibling((dot > 0 ? base.substring(0, dot) : base) + "_files");
        if (!Files.isDirectory(filesDir)) {
            throw new SlideException(dzi, "missing tile folder " + filesDir.getFileName());
        }
        int maxLevel = 0;
        while ((1L << maxLevel) < Math.max(d.width(), d.height())) {
            maxLevel++;
        }
        List<LevelInfo> levels = new ArrayList<>();
        List<Integer> folders = new ArrayList<>();
        for (int i = 0; i <= maxLevel; i++) {
            int folder = maxLevel - i;
            if (!Files.isDirectory(filesDir.resolve(Integer.toString(folder)))) {
                if (i == 0) {
                    throw new SlideException(dzi, "missing full-resolution level folder "
                            + filesDir.getFileName() + "/" + folder);
                }
                break; // writers may stop above 1x1 (vips --depth onetile); the levels above still serve
            }
            long scale = 1L << i;
            int w = (int) Math.ceilDiv(d.width(), scale);
            int h = (int) Math.ceilDiv(d.height(), scale);
            levels.add(LevelInfo.of(i, w, h, scale, d.tileSize(), d.tileSize()));
            folders.add(folder);
        }
        VipsProperties props = VipsProperties.read(filesDir.resolve("vips-properties.xml"));
        SlideInfo info = new SlideInfo(dzi.toUri(), "deepzoom", d.tileSize(), d.tileSize(), d.overlap(), levels,
                props.mpp(), props.magnification(), List.of());
        return new DeepZoomSource(info, stamp, filesDir, d.format(),
                folders.stream().mapToInt(Integer::intValue).toArray(), null);
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    Path tilePath(int level, int col, int row) {
        return filesDir.resolve(Integer.toString(folderOfLevel[level])).resolve(col + "_" + row + "." + ext);
    }

    @Override
    public byte[] readTile(int level, int col, int row) throws IOException {
        LevelInfo l = info.level(level);
        l.requireTile(col, row);
        Path tile = tilePath(level, col, row);
        String rel = filesDir.getFileName() + "/"
                + folderOfLevel[level] + "/" + col + "_" + row + "." + ext;
        try {
            long size = Files.size(tile);
            if (size == 0) {
                stamp.suspect();
                throw new TileException(path, level, col, row, "empty tile file " + rel);
            }
            if (size > Limits.MAX_TILE_BYTES) {
                throw new TileException(path, level, col, row, "tile file too large (" + size + " bytes): " + rel);
            }
            return Files.readAllBytes(tile);
        } catch (NoSuchFileException e) {
            stamp.suspect(); // a rewrite in progress looks like this too
            throw TileException.missing(path, level, col, row, "missing file " + rel);
        } catch (TileException e) {
            throw e;
        } catch (IOException e) {
            // too many open files, an interrupted read, a network share's hiccup: may pass
            stamp.suspect();
            throw TileException.transientFailure(path, level, col, row, "cannot read " + rel + ": " + e.getMessage(), e);
        }
    }

    @Override
    public FileStamp stamp() {
        return stamp;
    }

    @Override
    public byte[] readAssociated(String name) throws IOException {
        if (associatedThumbnail != null && "thumbnail".equals(name)) {
            return readImageFile(associatedThumbnail);
        }
        throw new SlideException(path, "no associated image named '" + name + "'");
    }

    /** The bytes of a small image file that sits beside a slide (a FastPATH thumbnail.jpg), bounded. */
    public static byte[] readImageFile(Path file) throws IOException {
        try {
            long size = Files.size(file);
            if (size > Limits.MAX_TILE_BYTES) {
                throw new SlideException(file, "image file too large (" + size + " bytes)");
            }
            return Files.readAllBytes(file);
        } catch (SlideException e) {
            throw e;
        } catch (IOException e) {
            throw new SlideException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // no open handles: every tile is its own file
    }

    private static int intAttr(URI file, Element e, String name) throws SlideException {
        long v = longAttr(file, e, name);
        if (v > Integer.MAX_VALUE) {
            throw new SlideException(file, "attribute " + name + "=" + v + " is too large");
        }
        return (int) v;
    }

    private static long longAttr(URI file, Element e, String name) throws SlideException {
        if (!e.hasAttribute(name)) {
            throw new SlideException(file, "missing attribute " + name + " on <" + e.getLocalName() + ">");
        }
        String s = e.getAttribute(name).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException ex) {
            throw new SlideException(file, "attribute " + name + "='" + s + "' is not a whole number");
        }
    }
}
