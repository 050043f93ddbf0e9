package org.tilescope.engine.annotation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Finds annotations by rectangle. A JTS STRtree is packed once and cannot take inserts, so edits
 * since the last pack live beside it: the edited ids are masked out of the tree and their new
 * versions are scanned linearly. When those grow past an eighth of the set the tree is packed
 * again (a 100,000-object pack takes tens of milliseconds, once every 12,500 edits). Not thread
 * safe: {@link AnnotationSet} holds its lock around every call.
 */
final class AnnotationIndex {
    private static final int MIN_REBUILD = 512;

    private STRtree tree = new STRtree();
    private int treeSize;
    /** Ids whose tree entry is out of date (edited or deleted since the pack). */
    private final Set<String> masked = new HashSet<>();
    /** Added or edited since the pack, in edit order: painted last, so on top. */
    private final Map<String, Annotation> recent = new LinkedHashMap<>();

    void rebuild(Collection<Annotation> all) {
        STRtree t = new STRtree();
        for (Annotation a : all) {
            t.insert(a.geometry().getEnvelopeInternal(), a);
        }
        t.build();
        tree = t;
        treeSize = all.size();
        masked.clear();
        recent.clear();
    }

    void put(Annotation a) {
        masked.add(a.id());
        recent.remove(a.id());
        recent.put(a.id(), a);
    }

    void remove(String id) {
        masked.add(id);
        recent.remove(id);
    }

    /** True when the side list has grown enough that packing again pays. */
    boolean wantsRebuild() {
        return masked.size() + recent.size() > Math.max(MIN_REBUILD, treeSize / 8);
    }

    /** Annotations whose bounding box meets {@code env}: the packed tree's order, then recent edits. */
    List<Annotation> query(Envelope env) {
        List<Annotation> out = new ArrayList<>();
        tree.query(env, item -> {
            Annotation a = (Annotation) item;
            if (masked.isEmpty() || !masked.contains(a.id())) {
                out.add(a);
            }
        });
        for (Annotation a : recent.values()) {
            if (a.geometry().getEnvelopeInternal().intersects(env)) {
                out.add(a);
            }
        }
        return out;
    }
}
