package org.tilescope.engine.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * Paints the demo slide: an H&E-like tissue section (stroma with collagen fibres, nuclei, glands,
 * vessels with red cells, lymphoid aggregates, tumour-like cellular patches) on glass.
 *
 * <p>The picture is a continuous function of level-0 coordinates, so every tile of every level is
 * painted on its own, straight from the function, and all levels agree. Coarse levels do not point
 * sample fine detail (that aliases into noise): each detail knows its size and is drawn with its
 * area coverage of the pixel (nuclei and red cells splat their area; textures fade to their mean
 * once their wavelength falls below a pixel). That is what a box downscale of level 0 would give.
 *
 * <p>Colour follows Beer-Lambert: stains are concentrations of haematoxylin, eosin and blood whose
 * optical densities add, then {@code 255 * exp(-OD)}, so overlaps mix the way stained tissue does.
 *
 * <p>Not thread-safe: each worker thread owns one painter (its scratch buffers are a tile's worth).
 */
final class DemoPainter {
    /** Largest tile painted: 254 + 2 overlap pixels. */
    static final int MAX_TILE = 256;

    /** Stroma nucleus candidates live in cells this wide (level-0 pixels), so a tile looks only at its own. */
    private static final int CELL = 24;
    /** Large structures (gland, vessel, aggregate) live one per cell this wide and stay inside it. */
    private static final int BIG = 400;
    /** Farthest a nucleus reaches from its centre, level-0 pixels. */
    private static final int NUCLEUS_REACH = 14;

    // Stain optical density per unit concentration, R G B (Macenko-like H&E vectors).
    private static final float HR = 0.5626f;
    private static final float HG = 0.7201f;
    private static final float HB = 0.4062f;
    private static final float ER = 0.2159f;
    private static final float EG = 0.8012f;
    private static final float EB = 0.4429f;
    private static final float BR = 0.05f;
    private static final float BG = 0.95f;
    private static final float BB = 0.80f;
    /** Glass and mounting medium are not perfectly clear. */
    private static final float GLASS_OD = 0.02f;

    private static final int LUT_SCALE = 512;
    private static final int[] OD_TO_BYTE = new int[LUT_SCALE * 8];

    static {
        for (int i = 0; i < OD_TO_BYTE.length; i++) {
            OD_TO_BYTE[i] = (int) Math.round(255 * Math.exp(-(double) i / LUT_SCALE));
        }
    }

    /** One lobe of the tissue outline, in units of the slide height. */
    private record Lobe(float x, float y, float radius, float weight) {
    }

    private final float invHeight;
    private final Lobe[] lobes;
    private final int seedWarpX;
    private final int seedWarpY;
    private final int seedRough;
    private final int seedTear;
    private final int seedEosin;
    private final int seedHaem;
    private final int seedTumour;
    private final int seedAngle;
    private final int seedFibre;
    private final int seedGrain;
    private final int seedChromatin;
    private final int seedGlandular;
    private final long saltCell;
    private final long saltBig;
    /** Mean of the fibre modulation, so coarse levels keep the average colour of fine ones. */
    private final float fibreMean;

    // Per-tile state and scratch.
    private final Noise.Rng rng = new Noise.Rng();
    private final float[] haem = new float[MAX_TILE * MAX_TILE];
    private final float[] eosin = new float[MAX_TILE * MAX_TILE];
    private final float[] blood = new float[MAX_TILE * MAX_TILE];
    private final float[] mask = new float[MAX_TILE * MAX_TILE];
    private final float[] fieldScratch = new float[6];
    private float[] grid = new float[0];
    private Structure[] structureCells = new Structure[0];
    private final List<Structure> structures = new ArrayList<>();
    private int scale;
    private int tileX;
    private int tileY;
    private int tileW;
    private int tileH;
    private int gridStep;
    private int gridX0;
    private int gridY0;
    private int gridCols;
    private int gridRows;
    private int bigX0;
    private int bigY0;
    private int bigCols;
    private int bigRows;

    DemoPainter(int width, int height, long seed) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad demo size " + width + "x" + height);
        }
        this.invHeight = 1f / height;
        Noise.Rng r = new Noise.Rng();
        r.seed(seed);
        seedWarpX = (int) r.nextLong();
        seedWarpY = (int) r.nextLong();
        seedRough = (int) r.nextLong();
        seedTear = (int) r.nextLong();
        seedEosin = (int) r.nextLong();
        seedHaem = (int) r.nextLong();
        seedTumour = (int) r.nextLong();
        seedAngle = (int) r.nextLong();
        seedFibre = (int) r.nextLong();
        seedGrain = (int) r.nextLong();
        seedChromatin = (int) r.nextLong();
        seedGlandular = (int) r.nextLong();
        saltCell = r.nextLong();
        saltBig = r.nextLong();
        float aspect = (float) width / height;
        // A main section with lobes and one small separate fragment, as on a real slide.
        lobes = new Lobe[] {
            new Lobe(0.50f * aspect, 0.50f, 0.30f, 1.0f),
            new Lobe(0.30f * aspect, 0.36f, 0.20f, 0.8f),
            new Lobe(0.70f * aspect, 0.62f, 0.22f, 0.8f),
            new Lobe(0.44f * aspect, 0.74f, 0.17f, 0.7f),
            new Lobe(0.63f * aspect, 0.27f, 0.15f, 0.7f),
            new Lobe(0.89f * aspect, 0.19f, 0.075f, 0.95f),
        };
        float sum = 0;
        int n = 4096;
        for (int i = 0; i < n; i++) {
            sum += fibreModulation(fibreNoise(i * 37.3f, i * 11.7f + (i % 64) * 91.1f, i * 0.0123f));
        }
        fibreMean = sum / n;
    }

    /**
     * Paints pixels [x0, x0+w) x [y0, y0+h) of the level whose pixels are {@code scale} level-0
     * pixels wide, as packed RGB, row by row.
     */
    void paint(int scale, int x0, int y0, int w, int h, int[] rgb) {
        if (w <= 0 || h <= 0 || w > MAX_TILE || h > MAX_TILE || scale < 1) {
            throw new IllegalArgumentException("bad tile " + w + "x" + h + " at scale " + scale);
        }
        this.scale = scale;
        this.tileX = x0;
        this.tileY = y0;
        this.tileW = w;
        this.tileH = h;
        buildGrid();
        paintGround();
        collectStructures();
        for (Structure s : structures) {
            s.paintArea(this);
        }
        for (Structure s : structures) {
            s.splatCells(this);
        }
        splatStromaNuclei();
        compose(rgb);
    }

    // ---- slow, smooth fields ------------------------------------------------------------------

    /**
     * How far inside tissue a level-0 point is (positive inside; a boundary at 0). Lobes warped and
     * roughened by noise make an organic outline; thin elongated cracks are the tears of sectioning.
     */
    float tissue(float x, float y) {
        float u = x * invHeight;
        float v = y * invHeight;
        float wu = u + 0.20f * (Noise.fbm(u * 2.2f + 3.1f, v * 2.2f, 3, seedWarpX) - 0.5f);
        float wv = v + 0.20f * (Noise.fbm(u * 2.2f, v * 2.2f + 7.3f, 3, seedWarpY) - 0.5f);
        float g = 0;
        for (Lobe l : lobes) {
            float dx = wu - l.x;
            float dy = wv - l.y;
            g += l.weight * (float) Math.exp(-(dx * dx + dy * dy) / (l.radius * l.radius));
        }
        float rough = Noise.fbm(u * 5, v * 5, 6, seedRough) - 0.5f;
        float tear = Noise.fbm(u * 28, v * 9, 3, seedTear);
        return g - 0.5f + 0.9f * rough - 3f * Math.max(0, tear - 0.70f);
    }

    /** Fills out: tissue, eosin variation, haematoxylin variation, tumour, fibre direction cos, sin. */
    private void fields(float x, float y, float[] out) {
        float u = x * invHeight;
        float v = y * invHeight;
        out[0] = tissue(x, y);
        out[1] = Noise.fbm(u * 7, v * 7, 3, seedEosin);
        out[2] = Noise.fbm(u * 11, v * 11, 3, seedHaem);
        out[3] = tumour(u, v);
        // Orientation, not direction: fibres at a and a + pi look the same.
        float a = Noise.fbm(u * 6, v * 6, 3, seedAngle) * 4 * (float) Math.PI;
        out[4] = (float) Math.cos(a);
        out[5] = (float) Math.sin(a);
    }

    private float tumour(float u, float v) {
        return Noise.smoothstep(0.58f, 0.66f, Noise.fbm(u * 3.5f, v * 3.5f, 4, seedTumour));
    }

    /**
     * The smooth fields on a grid aligned to the level's pixel grid (so neighbouring tiles share
     * nodes and agree at their seams), one node every few pixels; pixels interpolate. The spacing
     * keeps about 64 level-0 pixels between nodes, finer than the finest outline wiggle.
     */
    private void buildGrid() {
        gridStep = Math.max(1, Math.min(8, 64 / scale));
        int marginPx = NUCLEUS_REACH / scale + 2;
        gridX0 = Math.floorDiv(tileX - marginPx, gridStep);
        gridY0 = Math.floorDiv(tileY - marginPx, gridStep);
        gridCols = Math.floorDiv(tileX + tileW - 1 + marginPx, gridStep) - gridX0 + 2;
        gridRows = Math.floorDiv(tileY + tileH - 1 + marginPx, gridStep) - gridY0 + 2;
        int need = gridCols * gridRows * 6;
        if (grid.length < need) {
            grid = new float[need];
        }
        float[] f = fieldScratch;
        for (int j = 0; j < gridRows; j++) {
            float y = ((gridY0 + j) * (float) gridStep + 0.5f) * scale;
            for (int i = 0; i < gridCols; i++) {
                float x = ((gridX0 + i) * (float) gridStep + 0.5f) * scale;
                fields(x, y, f);
                System.arraycopy(f, 0, grid, (j * gridCols + i) * 6, 6);
            }
        }
    }

    /** Bilinear read of field k at a level-0 point, clamped to the tile's grid. */
    private float gridAt(float x, float y, int k) {
        float gx = ((x / scale - 0.5f) / gridStep) - gridX0;
        float gy = ((y / scale - 0.5f) / gridStep) - gridY0;
        gx = Math.max(0, Math.min(gridCols - 1.001f, gx));
        gy = Math.max(0, Math.min(gridRows - 1.001f, gy));
        int i = (int) gx;
        int j = (int) gy;
        float fx = gx - i;
        float fy = gy - j;
        int base = (j * gridCols + i) * 6 + k;
        float a = grid[base];
        float b = grid[base + 6];
        float c = grid[base + gridCols * 6];
        float d = grid[base + gridCols * 6 + 6];
        return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
    }

    // ---- ground: glass, tissue outline, stroma -------------------------------------------------

    private void paintGround() {
        float fibreLod = scale == 1 ? 1f : scale == 2 ? 0.6f : scale == 4 ? 0.25f : 0f;
        float grainLod = scale == 1 ? 1f : scale == 2 ? 0.3f : 0f;
        int g = gridStep;
        float invG = 1f / g;
        for (int py = 0; py < tileH; py++) {
            int ly = tileY + py;
            int j = Math.floorDiv(ly, g) - gridY0;
            float fy = (ly - Math.floorDiv(ly, g) * g) * invG;
            float y = (ly + 0.5f) * scale;
            int row = py * tileW;
            for (int px = 0; px < tileW; px++) {
                int lx = tileX + px;
                int i = Math.floorDiv(lx, g) - gridX0;
                float fx = (lx - Math.floorDiv(lx, g) * g) * invG;
                int b00 = (j * gridCols + i) * 6;
                int b10 = b00 + 6;
                int b01 = b00 + gridCols * 6;
                int b11 = b01 + 6;
                float w00 = (1 - fx) * (1 - fy);
                float w10 = fx * (1 - fy);
                float w01 = (1 - fx) * fy;
                float w11 = fx * fy;
                float t00 = grid[b00];
                float t10 = grid[b10];
                float t01 = grid[b01];
                float t11 = grid[b11];
                float t = t00 * w00 + t10 * w10 + t01 * w01 + t11 * w11;
                // Gradient of the bilinear patch, per level pixel: turns the field into a distance
                // to the outline, so the edge is a one-pixel anti-aliased step at every level.
                float dx = ((t10 - t00) * (1 - fy) + (t11 - t01) * fy) * invG;
                float dy = ((t01 - t00) * (1 - fx) + (t11 - t10) * fx) * invG;
                float grad = (float) Math.sqrt(dx * dx + dy * dy) + 1e-9f;
                float dist = t / grad;
                int k = row + px;
                float m = Noise.clamp01(dist + 0.5f);
                mask[k] = m;
                blood[k] = 0;
                if (m <= 0) {
                    haem[k] = 0;
                    eosin[k] = 0;
                    continue;
                }
                float eVar = grid[b00 + 1] * w00 + grid[b10 + 1] * w10 + grid[b01 + 1] * w01 + grid[b11 + 1] * w11;
                float hVar = grid[b00 + 2] * w00 + grid[b10 + 2] * w10 + grid[b01 + 2] * w01 + grid[b11 + 2] * w11;
                float tum = grid[b00 + 3] * w00 + grid[b10 + 3] * w10 + grid[b01 + 3] * w01 + grid[b11 + 3] * w11;
                float e = (0.22f + 0.5f * eVar) * (1 - 0.3f * tum);
                float h = 0.03f + 0.08f * hVar + 0.2f * tum;
                // Sections stain darker at their cut edge.
                e += 0.18f * (float) Math.exp(-dist * scale / 30f);
                float x = (lx + 0.5f) * scale;
                if (fibreLod > 0) {
                    float c = grid[b00 + 4] * w00 + grid[b10 + 4] * w10 + grid[b01 + 4] * w01 + grid[b11 + 4] * w11;
                    float s = grid[b00 + 5] * w00 + grid[b10 + 5] * w10 + grid[b01 + 5] * w01 + grid[b11 + 5] * w11;
                    float angle = (float) Math.atan2(s, c) * 0.5f;
                    float rel = fibreModulation(fibreNoise(x, y, angle)) / fibreMean - 1;
                    e *= 1 + rel * fibreLod * (1 - 0.7f * tum);
                }
                if (grainLod > 0) {
                    float grain = Noise.value(x * 0.6f, y * 0.6f, seedGrain) - 0.5f;
                    e *= 1 + 0.3f * grain * grainLod;
                    h *= 1 + 0.3f * grain * grainLod;
                }
                haem[k] = h;
                eosin[k] = e;
            }
        }
    }

    /**
     * Collagen fibres: noise stretched along the local orientation. Four fixed orientations blended
     * by angle rather than one rotated by a varying angle, which would shear the pattern wherever
     * the angle changes.
     */
    private float fibreNoise(float x, float y, float angle) {
        float t = angle / (float) (Math.PI / 4);
        t -= 4 * (float) Math.floor(t / 4);
        int k = (int) t;
        float w = t - k;
        float a = orientedNoise(x, y, k & 3);
        float b = orientedNoise(x, y, (k + 1) & 3);
        float mixed = a * (1 - w) + b * w - 0.5f;
        // Blending two independent noises lowers contrast; restore it.
        return 0.5f + mixed / (float) Math.sqrt(w * w + (1 - w) * (1 - w));
    }

    private static final float[] ORIENT_COS = {1f, 0.70710677f, 0f, -0.70710677f};
    private static final float[] ORIENT_SIN = {0f, 0.70710677f, 1f, 0.70710677f};

    private float orientedNoise(float x, float y, int k) {
        float along = x * ORIENT_COS[k] + y * ORIENT_SIN[k];
        float across = -x * ORIENT_SIN[k] + y * ORIENT_COS[k];
        across += 9 * Noise.value(along * (1 / 60f), across * (1 / 70f), seedFibre + 17 + k);
        int s = seedFibre + k * 31;
        return 0.65f * Noise.value(across * (1 / 5f), along * (1 / 48f), s)
                + 0.35f * Noise.value(across * (1 / 2.5f), along * (1 / 22f), s + 7);
    }

    /** Dense pink bundles with pale gaps between them. */
    private static float fibreModulation(float n) {
        return 0.45f + 0.8f * Noise.smoothstep(0.28f, 0.65f, n);
    }

    // ---- nuclei and red cells -----------------------------------------------------------------

    /**
     * Draws one ellipse of stain. Large enough ones are rasterised with a one-pixel anti-aliased
     * edge, a darker rim and chromatin texture; sub-pixel ones add their area to the pixels around
     * their centre, which is what averaging level 0 would give.
     */
    void splat(float cx, float cy, float a, float b, float cos, float sin, float h, float e, float bl, boolean rbc) {
        float s = scale;
        float lx = cx / s - 0.5f - tileX;
        float ly = cy / s - 0.5f - tileY;
        float aL = a / s;
        float bL = b / s;
        if (aL < 0.7f) {
            float cover = (float) Math.PI * aL * bL;
            int i0 = (int) Math.floor(lx);
            int j0 = (int) Math.floor(ly);
            float fx = lx - i0;
            float fy = ly - j0;
            blend(i0, j0, cover * (1 - fx) * (1 - fy), h, e, bl);
            blend(i0 + 1, j0, cover * fx * (1 - fy), h, e, bl);
            blend(i0, j0 + 1, cover * (1 - fx) * fy, h, e, bl);
            blend(i0 + 1, j0 + 1, cover * fx * fy, h, e, bl);
            return;
        }
        float reach = aL + 1;
        int iMin = Math.max(0, (int) Math.ceil(lx - reach));
        int iMax = Math.min(tileW - 1, (int) Math.floor(lx + reach));
        int jMin = Math.max(0, (int) Math.ceil(ly - reach));
        int jMax = Math.min(tileH - 1, (int) Math.floor(ly + reach));
        if (iMin > iMax || jMin > jMax) {
            return;
        }
        float texLod = scale == 1 ? 1f : scale == 2 ? 0.4f : 0f;
        float invA = 1 / aL;
        float invB = 1 / bL;
        for (int j = jMin; j <= jMax; j++) {
            float dy = j - ly;
            for (int i = iMin; i <= iMax; i++) {
                float dx = i - lx;
                float u = dx * cos + dy * sin;
                float v = -dx * sin + dy * cos;
                float qu = u * invA;
                float qv = v * invB;
                float q = (float) Math.sqrt(qu * qu + qv * qv);
                float radius = q > 1e-4f ? (float) Math.sqrt(u * u + v * v) / q : bL;
                float cover = Noise.clamp01((1 - q) * radius + 0.5f);
                if (cover <= 0) {
                    continue;
                }
                float shade = rbc ? 0.72f + 0.45f * q * q : 0.82f + 0.3f * q * q;
                if (texLod > 0 && !rbc) {
                    float x = (tileX + i + 0.5f) * s;
                    float y = (tileY + j + 0.5f) * s;
                    float tex = Noise.value(x * 0.45f, y * 0.45f, seedChromatin) - 0.5f;
                    shade *= 1 + 0.7f * tex * texLod;
                }
                blend(i, j, cover, rbc ? h : h * shade, e, rbc ? bl * shade : bl);
            }
        }
    }

    private void blend(int i, int j, float cover, float h, float e, float bl) {
        if (i < 0 || j < 0 || i >= tileW || j >= tileH || cover <= 0) {
            return;
        }
        float c = Math.min(1, cover);
        int k = j * tileW + i;
        haem[k] += c * (h - haem[k]);
        eosin[k] += c * (e - eosin[k]);
        blood[k] += c * (bl - blood[k]);
    }

    private void splatStromaNuclei() {
        float x0 = (float) tileX * scale - NUCLEUS_REACH;
        float y0 = (float) tileY * scale - NUCLEUS_REACH;
        float x1 = (float) (tileX + tileW) * scale + NUCLEUS_REACH;
        float y1 = (float) (tileY + tileH) * scale + NUCLEUS_REACH;
        int c0 = (int) Math.floor(x0 / CELL);
        int r0 = (int) Math.floor(y0 / CELL);
        int c1 = (int) Math.floor(x1 / CELL);
        int r1 = (int) Math.floor(y1 / CELL);
        Noise.Rng r = rng;
        for (int cy = r0; cy <= r1; cy++) {
            for (int cx = c0; cx <= c1; cx++) {
                r.seed(Noise.cellSeed(cx, cy, saltCell));
                for (int n = 0; n < 3; n++) {
                    float x = (cx + r.next()) * CELL;
                    float y = (cy + r.next()) * CELL;
                    float pick = r.next();
                    float kind = r.next();
                    float size = r.next();
                    float shape = r.next();
                    float tone = r.next();
                    float turn = r.next();
                    if (x < x0 || x > x1 || y < y0 || y > y1) {
                        continue;
                    }
                    if (gridAt(x, y, 0) <= 0) {
                        continue;
                    }
                    float tum = gridAt(x, y, 3);
                    float hVar = gridAt(x, y, 2);
                    float density = 0.3f + 0.7f * hVar + 1.6f * tum;
                    if (pick >= density - n) {
                        continue;
                    }
                    if (insideStructure(x, y)) {
                        continue;
                    }
                    if (kind < tum) {
                        // Tumour cell: large, pale, pleomorphic.
                        float a = 6f + 3f * size;
                        float b = a * (0.65f + 0.3f * shape);
                        float ang = turn * (float) Math.PI;
                        splat(x, y, a, b, (float) Math.cos(ang), (float) Math.sin(ang),
                                0.8f + 0.35f * tone, 0.25f, 0, false);
                    } else if (kind < tum + (1 - tum) * 0.7f) {
                        // Fibroblast: thin, along the collagen.
                        float c = gridAt(x, y, 4);
                        float s = gridAt(x, y, 5);
                        float ang = (float) Math.atan2(s, c) * 0.5f + (turn - 0.5f) * 0.5f;
                        float a = 6f + 3f * size;
                        float b = 2.2f + 1.0f * shape;
                        splat(x, y, a, b, (float) Math.cos(ang), (float) Math.sin(ang),
                                1.0f + 0.3f * tone, 0.2f, 0, false);
                    } else {
                        // Lymphocyte: small, round, dark.
                        float a = 3.8f + 1.0f * size;
                        splat(x, y, a, a * (0.88f + 0.12f * shape), 1, 0, 1.5f + 0.3f * tone, 0.2f, 0, false);
                    }
                }
            }
        }
    }

    // ---- large structures ---------------------------------------------------------------------

    private void collectStructures() {
        structures.clear();
        float reach = NUCLEUS_REACH + 2f * scale;
        bigX0 = (int) Math.floor(((float) tileX * scale - reach) / BIG);
        bigY0 = (int) Math.floor(((float) tileY * scale - reach) / BIG);
        bigCols = (int) Math.floor(((float) (tileX + tileW) * scale + reach) / BIG) - bigX0 + 1;
        bigRows = (int) Math.floor(((float) (tileY + tileH) * scale + reach) / BIG) - bigY0 + 1;
        if (structureCells.length < bigCols * bigRows) {
            structureCells = new Structure[bigCols * bigRows];
        }
        for (int j = 0; j < bigRows; j++) {
            for (int i = 0; i < bigCols; i++) {
                Structure s = structureAt(bigX0 + i, bigY0 + j);
                structureCells[j * bigCols + i] = s;
                if (s != null) {
                    structures.add(s);
                }
            }
        }
    }

    private boolean insideStructure(float x, float y) {
        int i = (int) Math.floor(x / BIG) - bigX0;
        int j = (int) Math.floor(y / BIG) - bigY0;
        if (i < 0 || j < 0 || i >= bigCols || j >= bigRows) {
            return false;
        }
        Structure s = structureCells[j * bigCols + i];
        return s != null && s.excludes(x, y);
    }

    /**
     * The structure of one large cell, or null. Each stays inside its cell, so structures never
     * overlap and a tile only looks at the cells it touches.
     */
    private Structure structureAt(int bx, int by) {
        Noise.Rng r = rng;
        r.seed(Noise.cellSeed(bx, by, saltBig));
        float kind = r.next();
        float half = BIG / 2f;
        float jx = r.next() * 2 - 1;
        float jy = r.next() * 2 - 1;
        long seed = r.nextLong();
        // Glands crowd in glandular regions and are absent elsewhere, as in a real organ.
        float centreU = (bx + 0.5f) * BIG * invHeight;
        float centreV = (by + 0.5f) * BIG * invHeight;
        float glandular = 0.75f * Noise.smoothstep(0.45f, 0.58f, Noise.fbm(centreU * 4, centreV * 4, 3, seedGlandular));
        if (kind >= glandular + 0.17f) {
            return null;
        }
        if (kind < glandular) {
            // Well under half a cell, so the centre can wander and glands do not line up in a lattice.
            float radius = r.range(45, 115);
            float lumen = r.range(0.35f, 0.6f);
            float a0 = r.range(0f, 0.22f);
            float p0 = r.range(0, 6.2832f);
            float a1 = r.range(0.03f, 0.11f);
            float a2 = r.range(0.02f, 0.06f);
            float p1 = r.range(0, 6.2832f);
            float p2 = r.range(0, 6.2832f);
            float reach = radius * (1 + a0 + a1 + a2) + 8;
            float cx = (bx + 0.5f) * BIG + jx * (half - reach);
            float cy = (by + 0.5f) * BIG + jy * (half - reach);
            float inside = tissue(cx, cy);
            if (inside < 0.08f || tumour(cx * invHeight, cy * invHeight) > 0.3f) {
                return null;
            }
            return new Gland(cx, cy, radius, lumen, a0, (float) Math.cos(p0), (float) Math.sin(p0), a1, (float) Math.cos(p1), (float) Math.sin(p1),
                    a2, (float) Math.cos(p2), (float) Math.sin(p2), reach, seed);
        }
        if (kind < glandular + 0.11f) {
            float major = r.range(35, 150);
            float minor = major * r.range(0.35f, 0.8f);
            float wall = Math.min(minor * 0.4f, r.range(5, 14));
            float ang = r.range(0, 3.1416f);
            float fill = r.range(0.15f, 0.85f);
            float reach = major + 4;
            float cx = (bx + 0.5f) * BIG + jx * (half - reach);
            float cy = (by + 0.5f) * BIG + jy * (half - reach);
            if (tissue(cx, cy) < 0.05f) {
                return null;
            }
            return new Vessel(cx, cy, major, minor, (float) Math.cos(ang), (float) Math.sin(ang), wall, fill,
                    reach, seed);
        }
        float radius = r.range(80, 170);
        float cx = (bx + 0.5f) * BIG + jx * (half - radius - 4);
        float cy = (by + 0.5f) * BIG + jy * (half - radius - 4);
        if (tissue(cx, cy) < 0.05f) {
            return null;
        }
        return new Aggregate(cx, cy, radius, seed);
    }

    /** One large feature: paints its area, then its cells on top. */
    private sealed interface Structure permits Gland, Vessel, Aggregate {
        void paintArea(DemoPainter p);

        void splatCells(DemoPainter p);

        /** True where stroma nuclei must not fall (inside a lumen or wall). */
        boolean excludes(float x, float y);
    }

    /** Loops over the tile's pixels within a square around a level-0 centre. */
    private interface PixelVisitor {
        void visit(int k, float x, float y);
    }

    private void forPixelsAround(float cx, float cy, float reach, PixelVisitor v) {
        float s = scale;
        int iMin = Math.max(0, (int) Math.floor((cx - reach) / s) - tileX);
        int iMax = Math.min(tileW - 1, (int) Math.floor((cx + reach) / s) - tileX);
        int jMin = Math.max(0, (int) Math.floor((cy - reach) / s) - tileY);
        int jMax = Math.min(tileH - 1, (int) Math.floor((cy + reach) / s) - tileY);
        for (int j = jMin; j <= jMax; j++) {
            float y = (tileY + j + 0.5f) * s;
            for (int i = iMin; i <= iMax; i++) {
                v.visit(j * tileW + i, (tileX + i + 0.5f) * s, y);
            }
        }
    }

    private boolean touchesTile(float cx, float cy, float reach) {
        float s = scale;
        return cx + reach >= tileX * s && cx - reach <= (tileX + tileW) * s
                && cy + reach >= tileY * s && cy - reach <= (tileY + tileH) * s;
    }

    /** A gland in cross-section: lumen, a ring of epithelium with basal nuclei, basement membrane. */
    private record Gland(float cx, float cy, float radius, float lumen, float a0, float c0, float s0,
                         float a1, float c1, float s1,
                         float a2, float c2, float s2, float reach, long seed) implements Structure {

        /** Outline radius in the direction (c, s): a circle with a few lobes. */
        float radiusAt(float c, float s) {
            float cos3 = c * (4 * c * c - 3);
            float sin3 = s * (3 - 4 * s * s);
            float z2r = c * c - s * s;
            float z2i = 2 * c * s;
            float z4r = z2r * z2r - z2i * z2i;
            float z4i = 2 * z2r * z2i;
            float cos5 = z4r * c - z4i * s;
            float sin5 = z4r * s + z4i * c;
            return radius * (1 + a0 * (z2i * c0 + z2r * s0) + a1 * (sin3 * c1 + cos3 * s1)
                    + a2 * (sin5 * c2 + cos5 * s2));
        }

        @Override
        public void paintArea(DemoPainter p) {
            if (!p.touchesTile(cx, cy, reach)) {
                return;
            }
            float px = p.scale;
            p.forPixelsAround(cx, cy, reach, (k, x, y) -> {
                float dx = x - cx;
                float dy = y - cy;
                float r = (float) Math.sqrt(dx * dx + dy * dy);
                float c = r > 1e-3f ? dx / r : 1;
                float s = r > 1e-3f ? dy / r : 0;
                float outer = radiusAt(c, s);
                float epi = Noise.clamp01((outer - r) / px + 0.5f);
                float membrane = Noise.clamp01((outer + 4 - r) / px + 0.5f) - epi;
                float lum = Noise.clamp01((lumen * outer - r) / px + 0.5f);
                p.haem[k] += epi * (0.26f - p.haem[k]);
                p.eosin[k] += epi * (0.30f - p.eosin[k]);
                p.haem[k] += lum * (0.01f - p.haem[k]);
                p.eosin[k] += lum * (0.06f - p.eosin[k]);
                p.eosin[k] += 0.35f * membrane;
            });
        }

        @Override
        public void splatCells(DemoPainter p) {
            if (!p.touchesTile(cx, cy, reach + NUCLEUS_REACH)) {
                return;
            }
            Noise.Rng r = p.rng;
            r.seed(seed);
            int n = Math.max(8, Math.round(2 * (float) Math.PI * radius * (lumen + 1) * 0.5f / 8.5f));
            for (int i = 0; i < n; i++) {
                float t = (i + 0.3f * (r.next() - 0.5f)) * 2 * (float) Math.PI / n;
                float c = (float) Math.cos(t);
                float s = (float) Math.sin(t);
                float depth = lumen + (1 - lumen) * (0.55f + 0.3f * r.next());
                float rr = depth * radiusAt(c, s);
                float a = r.range(5.5f, 7.5f);
                float b = r.range(2.8f, 3.8f);
                float tone = r.next();
                p.splat(cx + c * rr, cy + s * rr, a, b, c, s, 1.15f + 0.25f * tone, 0.25f, 0, false);
            }
        }

        @Override
        public boolean excludes(float x, float y) {
            float dx = x - cx;
            float dy = y - cy;
            float r = (float) Math.sqrt(dx * dx + dy * dy);
            if (r > reach) {
                return false;
            }
            float c = r > 1e-3f ? dx / r : 1;
            float s = r > 1e-3f ? dy / r : 0;
            return r < radiusAt(c, s) + 6;
        }
    }

    /** A blood vessel cut across: a pink wall with flat nuclei around a lumen of red cells. */
    private record Vessel(float cx, float cy, float major, float minor, float cos, float sin, float wall,
                          float fill, float reach, long seed) implements Structure {

        /** Distance inside the outline along the ray from the centre, level-0 pixels. */
        float depth(float x, float y) {
            float dx = x - cx;
            float dy = y - cy;
            float u = dx * cos + dy * sin;
            float v = -dx * sin + dy * cos;
            float qu = u / major;
            float qv = v / minor;
            float q = (float) Math.sqrt(qu * qu + qv * qv);
            float radius = q > 1e-4f ? (float) Math.sqrt(u * u + v * v) / q : minor;
            return (1 - q) * radius;
        }

        @Override
        public void paintArea(DemoPainter p) {
            if (!p.touchesTile(cx, cy, reach)) {
                return;
            }
            float px = p.scale;
            p.forPixelsAround(cx, cy, reach, (k, x, y) -> {
                float d = depth(x, y);
                float outer = Noise.clamp01(d / px + 0.5f);
                float inner = Noise.clamp01((d - wall) / px + 0.5f);
                p.haem[k] += outer * (0.08f - p.haem[k]);
                p.eosin[k] += outer * (0.85f - p.eosin[k]);
                p.haem[k] += inner * (0.0f - p.haem[k]);
                p.eosin[k] += inner * (0.10f - p.eosin[k]);
            });
        }

        @Override
        public void splatCells(DemoPainter p) {
            if (!p.touchesTile(cx, cy, reach + NUCLEUS_REACH)) {
                return;
            }
            Noise.Rng r = p.rng;
            r.seed(seed);
            float innerMajor = major - wall;
            float innerMinor = minor - wall;
            int cells = Math.round(fill * innerMajor * innerMinor / (3.7f * 3.7f) * 0.8f);
            for (int i = 0; i < cells; i++) {
                float t = r.next() * 2 * (float) Math.PI;
                float rad = (float) Math.sqrt(r.next()) * 0.92f;
                float u = (float) Math.cos(t) * rad * (innerMajor - 3);
                float v = (float) Math.sin(t) * rad * (innerMinor - 3);
                float x = cx + u * cos - v * sin;
                float y = cy + u * sin + v * cos;
                float a = r.range(3.3f, 3.9f);
                float ang = r.next() * (float) Math.PI;
                p.splat(x, y, a, a * r.range(0.85f, 1f), (float) Math.cos(ang), (float) Math.sin(ang),
                        0.02f, 0.3f, 1.05f, true);
            }
            float midMajor = major - wall / 2;
            float midMinor = minor - wall / 2;
            int nuclei = Math.max(4, Math.round((float) Math.PI * (midMajor + midMinor) / 28));
            for (int i = 0; i < nuclei; i++) {
                float t = (i + 0.4f * (r.next() - 0.5f)) * 2 * (float) Math.PI / nuclei;
                float ct = (float) Math.cos(t);
                float st = (float) Math.sin(t);
                float u = ct * midMajor;
                float v = st * midMinor;
                float tu = -st * midMajor;
                float tv = ct * midMinor;
                float tl = (float) Math.sqrt(tu * tu + tv * tv);
                float dirX = (tu * cos - tv * sin) / tl;
                float dirY = (tu * sin + tv * cos) / tl;
                p.splat(cx + u * cos - v * sin, cy + u * sin + v * cos, r.range(6.5f, 8.5f), r.range(1.8f, 2.5f),
                        dirX, dirY, 1.25f, 0.3f, 0, false);
            }
        }

        @Override
        public boolean excludes(float x, float y) {
            return Math.abs(x - cx) <= reach && Math.abs(y - cy) <= reach && depth(x, y) > -6;
        }
    }

    /** A lymphoid aggregate: a dense blue cloud of small dark round nuclei. */
    private record Aggregate(float cx, float cy, float radius, long seed) implements Structure {
        @Override
        public void paintArea(DemoPainter p) {
            if (!p.touchesTile(cx, cy, radius)) {
                return;
            }
            p.forPixelsAround(cx, cy, radius, (k, x, y) -> {
                float dx = x - cx;
                float dy = y - cy;
                float r = (float) Math.sqrt(dx * dx + dy * dy) / radius;
                float w = r < 1 ? 0.6f * (1 - r * r) : 0;
                p.haem[k] += w * (0.22f - p.haem[k]);
            });
        }

        @Override
        public void splatCells(DemoPainter p) {
            if (!p.touchesTile(cx, cy, radius + NUCLEUS_REACH)) {
                return;
            }
            Noise.Rng r = p.rng;
            r.seed(seed);
            int n = Math.round((float) Math.PI * radius * radius / 60);
            for (int i = 0; i < n; i++) {
                float t = r.next() * 2 * (float) Math.PI;
                float rel = (float) Math.sqrt(r.next());
                float keep = r.next();
                float a = r.range(3.6f, 4.6f);
                float tone = r.next();
                if (rel > 0.7f && keep < (rel - 0.7f) * 2.5f) {
                    continue;
                }
                p.splat(cx + (float) Math.cos(t) * rel * radius, cy + (float) Math.sin(t) * rel * radius,
                        a, a * 0.92f, 1, 0, 1.5f + 0.3f * tone, 0.2f, 0, false);
            }
        }

        @Override
        public boolean excludes(float x, float y) {
            return false;
        }
    }

    // ---- colour --------------------------------------------------------------------------------

    private void compose(int[] rgb) {
        int n = tileW * tileH;
        int max = OD_TO_BYTE.length - 1;
        for (int k = 0; k < n; k++) {
            float m = mask[k];
            float h = haem[k] * m;
            float e = eosin[k] * m;
            float b = blood[k] * m;
            int ir = (int) ((GLASS_OD + h * HR + e * ER + b * BR) * LUT_SCALE + 0.5f);
            int ig = (int) ((GLASS_OD + h * HG + e * EG + b * BG) * LUT_SCALE + 0.5f);
            int ib = (int) ((GLASS_OD + h * HB + e * EB + b * BB) * LUT_SCALE + 0.5f);
            int r = OD_TO_BYTE[Math.min(max, Math.max(0, ir))];
            int g = OD_TO_BYTE[Math.min(max, Math.max(0, ig))];
            int bl = OD_TO_BYTE[Math.min(max, Math.max(0, ib))];
            rgb[k] = (r << 16) | (g << 8) | bl;
        }
    }
}
