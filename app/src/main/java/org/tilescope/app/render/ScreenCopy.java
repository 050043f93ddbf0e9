package org.tilescope.app.render;

import java.awt.Graphics2D;
import java.awt.GraphicsConfiguration;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.VolatileImage;

/**
 * A copy of the {@link FrameBuffer} kept where the screen is drawn (an X pixmap under XRender, a
 * texture elsewhere), so that a frame sends only what it changed: the copy moves its own pixels
 * as the buffer's moved and takes in only the rectangles the buffer repainted. Sending the whole
 * software buffer every frame costs as much as a full-window blit; a pan then sends a few strips.
 * Drawn 1:1 at whole pixels, so the seams of scaled drawing on the accelerated surface do not
 * arise. A frame that changed everything goes straight to the screen; where the copy is behind
 * (after such a frame, or the system took its memory back) the next frame sends it the whole buffer.
 */
public final class ScreenCopy {
    private VolatileImage copy;
    /** The copy equals the buffer as of the frame before this one. */
    private boolean inStep;

    /** The next draw sends the whole buffer (something drew into it outside its damage). */
    public void invalidate() {
        inStep = false;
    }

    /** Draws {@code buffer}'s last frame onto {@code g} at (0, 0), updating the copy from its damage. */
    public void draw(Graphics2D g, FrameBuffer buffer, GraphicsConfiguration gc) {
        BufferedImage img = buffer.image();
        if (gc == null) {
            g.drawImage(img, 0, 0, null);
            return;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if (copy == null || copy.getWidth() != w || copy.getHeight() != h) {
            replace(gc, w, h);
        }
        int state = copy.validate(gc);
        if (state == VolatileImage.IMAGE_INCOMPATIBLE) {
            replace(gc, w, h);
        } else if (state == VolatileImage.IMAGE_RESTORED) {
            inStep = false;
        }
        FrameBuffer.Damage d = buffer.damage();
        if (d.all()) {
            // all changed (a zoom step, a new slide): one upload straight to the screen is cheaper
            // than one into the copy and a copy from there; the copy catches up on the next move
            inStep = false;
            g.drawImage(img, 0, 0, null);
            return;
        }
        Graphics2D cg = copy.createGraphics();
        try {
            if (!inStep) {
                cg.drawImage(img, 0, 0, null);
            } else {
                if (d.dx() != 0 || d.dy() != 0) {
                    cg.copyArea(0, 0, w, h, d.dx(), d.dy());
                }
                for (Rectangle r : d.repainted()) {
                    cg.drawImage(img, r.x, r.y, r.x + r.width, r.y + r.height, r.x, r.y, r.x + r.width, r.y + r.height, null);
                }
            }
        } finally {
            cg.dispose();
        }
        if (copy.contentsLost()) {
            inStep = false;
            g.drawImage(img, 0, 0, null);
            return;
        }
        inStep = true;
        g.drawImage(copy, 0, 0, null);
    }

    private void replace(GraphicsConfiguration gc, int w, int h) {
        if (copy != null) {
            copy.flush();
        }
        copy = gc.createCompatibleVolatileImage(w, h);
        inStep = false;
    }

    /** Gives back the copy's memory (the pane left the screen). */
    public void release() {
        if (copy != null) {
            copy.flush();
            copy = null;
        }
        inStep = false;
    }
}
