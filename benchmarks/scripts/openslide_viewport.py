#!/usr/bin/python3
"""Time OpenSlide's read_region for the same 1920x1080 level-0 viewport ViewportBenchmark reads.

usage: openslide_viewport.py [SLIDE] [RUNS]

One thread, a fresh OpenSlide handle per run (its tile cache starts cold, like Tilescope's
'cold' state; the OS page cache is warm in both). Prints the mean and median in ms.
Needs python3-openslide (Debian package; run with /usr/bin/python3).
"""
import statistics
import sys
import time

import openslide

W, H = 1920, 1080


def main(argv):
    path = argv[1] if len(argv) > 1 else "/tmp/tilescope-big/big.tif"
    runs = int(argv[2]) if len(argv) > 2 else 20
    s = openslide.OpenSlide(path)
    width, height = s.dimensions
    x = int(width / 2 - W / 2 + 37)
    y = int(height / 2 - H / 2 + 91)
    s.read_region((x, y), 0, (W, H))  # page cache and library warm-up
    times = []
    for _ in range(runs):
        fresh = openslide.OpenSlide(path)
        t0 = time.perf_counter()
        fresh.read_region((x, y), 0, (W, H))
        times.append((time.perf_counter() - t0) * 1000)
        fresh.close()
    print(f"openslide {openslide.__library_version__} read_region level 0 {W}x{H} at ({x},{y}) on {path}: "
          f"mean {statistics.mean(times):.1f} ms, median {statistics.median(times):.1f} ms over {runs} runs")


if __name__ == "__main__":
    main(sys.argv)
