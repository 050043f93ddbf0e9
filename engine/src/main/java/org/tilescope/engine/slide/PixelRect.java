package org.tilescope.engine.slide;

/** An axis-aligned rectangle in whole pixels of some level. */
public record PixelRect(int x, int y, int width, int height) {
    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }

    public boolean isEmpty() {
        return width <= 0 || height <= 0;
    }

    public PixelRect intersect(PixelRect o) {
        int nx = Math.max(x, o.x);
        int ny = Math.max(y, o.y);
        int nr = Math.min(right(), o.right());
        int nb = Math.min(bottom(), o.bottom());
        return new PixelRect(nx, ny, Math.max(0, nr - nx), Math.max(0, nb - ny));
    }
}
