#!/usr/bin/python3
"""Compare `tilescope region` with OpenSlide's read_region on the same slide.

usage: compare_openslide.py SLIDE [LEVEL:X:Y:W:H ...]

X,Y are level-0 pixels, W,H pixels of LEVEL, in both tools. OpenSlide's RGBA output is
composited on white (what Tilescope paints outside the slide). Prints PSNR per region and
exits 1 when any is below 40 dB. Needs python3-openslide, python3-numpy and python3-pil
(Debian packages; run with /usr/bin/python3).
"""
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import openslide
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
THRESHOLD_DB = 40.0


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return math.inf if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def openslide_region(slide, level, x, y, w, h):
    rgba = slide.read_region((x, y), level, (w, h))
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))


def tilescope_region(path, level, x, y, w, h):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.png")
        subprocess.run([os.path.join(ROOT, "tilescope"), "region", path, "--level", str(level),
                        "--x", str(x), "--y", str(y), "--width", str(w), "--height", str(h),
                        "--out", out], check=True)
        return np.asarray(Image.open(out).convert("RGB"))


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    path = argv[1]
    slide = openslide.OpenSlide(path)
    specs = argv[2:] or ["0:10000:10000:1920:1080", "2:8000:6000:1920:1080"]
    worst = math.inf
    for spec in specs:
        level, x, y, w, h = (int(v) for v in spec.split(":"))
        ours = tilescope_region(path, level, x, y, w, h)
        theirs = openslide_region(slide, level, x, y, w, h)
        p = psnr(ours, theirs)
        worst = min(worst, p)
        maxdiff = int(np.max(np.abs(ours.astype(int) - theirs.astype(int))))
        print(f"{os.path.basename(path)} level {level} x={x} y={y} {w}x{h}: PSNR {p:.2f} dB, max diff {maxdiff}")
    return 0 if worst >= THRESHOLD_DB else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
