package org.tilescope.app.library;

import java.awt.Component;
import java.awt.Container;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Insets;

/**
 * A flow layout whose preferred size is the wrapped one: in a side panel of fixed width the tag
 * chips go on as many rows as they need (a plain FlowLayout asks for one long row).
 */
final class WrapLayout extends FlowLayout {
    WrapLayout(int align, int hgap, int vgap) {
        super(align, hgap, vgap);
    }

    @Override
    public Dimension preferredLayoutSize(Container target) {
        return wrapped(target, true);
    }

    @Override
    public Dimension minimumLayoutSize(Container target) {
        Dimension d = wrapped(target, false);
        d.width = 0;
        return d;
    }

    private Dimension wrapped(Container target, boolean preferred) {
        synchronized (target.getTreeLock()) {
            // before the first layout the width is 0: lay out for the parent's width then
            int width = target.getWidth() > 0 ? target.getWidth()
                    : target.getParent() != null && target.getParent().getWidth() > 0 ? target.getParent().getWidth() : 260;
            Insets in = target.getInsets();
            int max = width - in.left - in.right - 2 * getHgap();
            int rowWidth = 0;
            int rowHeight = 0;
            int height = 0;
            int widest = 0;
            for (Component c : target.getComponents()) {
                if (!c.isVisible()) {
                    continue;
                }
                Dimension d = preferred ? c.getPreferredSize() : c.getMinimumSize();
                if (rowWidth > 0 && rowWidth + getHgap() + d.width > max) {
                    height += rowHeight + getVgap();
                    widest = Math.max(widest, rowWidth);
                    rowWidth = 0;
                    rowHeight = 0;
                }
                rowWidth += (rowWidth > 0 ? getHgap() : 0) + d.width;
                rowHeight = Math.max(rowHeight, d.height);
            }
            height += rowHeight;
            widest = Math.max(widest, rowWidth);
            return new Dimension(widest + in.left + in.right + 2 * getHgap(), height + in.top + in.bottom + 2 * getVgap());
        }
    }
}
