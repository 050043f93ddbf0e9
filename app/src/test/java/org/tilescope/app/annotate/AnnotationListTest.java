package org.tilescope.app.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.app.render.ViewState;
import org.tilescope.app.swing.Edt;
import org.tilescope.app.viewer.TilePane;
import org.tilescope.engine.annotation.Annotation;
import org.tilescope.engine.annotation.AnnotationClass;
import org.tilescope.engine.annotation.AnnotationStore;
import org.tilescope.engine.annotation.Edit;
import org.tilescope.engine.annotation.Geometries;
import org.tilescope.engine.cache.SlideHandle;
import org.tilescope.engine.cache.TilePipeline;

/** The annotation list: rows with measurements, a class filter, a click that selects and centres. */
class AnnotationListTest {
    @TempDir
    Path dir;
    TilePipeline pipeline;
    TilePane pane;
    AnnotationController c;

    @BeforeEach
    void open() throws Exception {
        Path dzi = TestSlides.writeDzi(dir, "s", 4000, 3000, 256, 1);
        pipeline = TilePipeline.createDefault();
        SlideHandle slide = pipeline.open(dzi);
        slide.ready().get(60, TimeUnit.SECONDS);
        pane = Edt.call(() -> {
            TilePane p = new TilePane(pipeline);
            p.setSize(800, 600);
            p.setSlide(slide, new ViewState(2000, 1500, 2, 0, false));
            return p;
        });
        c = Edt.call(() -> new AnnotationController(pane, new AnnotationStore(dir.resolve("data"))));
        c.loading().get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        Edt.call(() -> {
            pane.dispose();
            return null;
        });
        c.dispose();
        c.awaitStopped(30, TimeUnit.SECONDS);
        pipeline.close();
    }

    @Test
    void listsFiltersAndCentresOnAClick() {
        Annotation tumour = Annotation.of(Geometries.rectangle(100, 200, 300, 400), Annotation.Shape.RECTANGLE)
                .withName("Tumour").withClassification(AnnotationClass.named("Tumor"));
        Annotation stroma = Annotation.of(Geometries.ellipse(3000, 2000, 3400, 2600), Annotation.Shape.ELLIPSE)
                .withClassification(AnnotationClass.named("Stroma"));
        Annotation cut = Annotation.of(Geometries.line(500, 500, 800, 900), Annotation.Shape.LINE).withName("cut");
        AnnotationList list = Edt.call(() -> {
            c.apply(Edit.add("test", tumour, stroma, cut));
            return new AnnotationList(c);
        });
        List<Annotation> rows = Edt.call(list::rows);
        assertEquals(3, rows.size());

        // the filter offers the classes in use and narrows the rows to one of them
        Edt.call(() -> {
            var combo = (javax.swing.JComboBox<?>) ((javax.swing.JPanel) list.getComponent(0)).getComponent(0);
            combo.setSelectedItem("Stroma");
            return null;
        });
        rows = Edt.call(list::rows);
        assertEquals(1, rows.size());
        assertEquals("Stroma", AnnotationList.className(rows.getFirst()));

        // a click selects it and centres the view on it
        Edt.call(() -> {
            list.clickRow(0);
            return null;
        });
        ViewState v = Edt.call(pane::view);
        assertEquals(3200, v.centreX(), 1e-6);
        assertEquals(2300, v.centreY(), 1e-6);
        Annotation shown = rows.getFirst();
        assertTrue(Edt.call(() -> c.isSelected(shown)), "the clicked annotation is selected");
    }
}
