#!/usr/bin/env bash
# Every benchmark in one run, with its same-run anchors:
#   1. JMH: tile paths (L1 hit, L2 hit decoded, cold decoded), full viewports, scheduler update
#   2. JPEG decode on one thread against tjcycle, libjpeg-turbo in a C loop over the same tiles
#      (scripts/decode-vs-tjcycle.sh), and a cold viewport on 1 and 2 decode threads (DecodeScaling)
#   3. OpenSlide read_region on the same level-0 viewport (scripts/openslide_viewport.py)
#   4. region pixels against OpenSlide (scripts/compare_openslide.py, PSNR)
#   5. slides without a pyramid: made-tile costs, thumbnail/view against vips (scripts/nopyramid.sh)
#   5b. import of a 40000x30000 JPEG against vips dzsave and tiffsave (scripts/import-bench.sh)
#   6. the viewer in a real window, background preload, remote slides over loopback HTTP
#   7. the memory soak of the viewer (scripts/soak-window.sh): SOAK_MINUTES, default 2 here; the
#      recorded run (benchmarks/README.md, soak-memory.png) is 10 minutes
#   8. `./tilescope SLIDE` to the first sharp frame, with and without an AOT cache (scripts/startup-slide.sh)
# Run through the launcher, which finds JDK 25 and builds: ./tilescope bench
# Inputs: ../shared/corpus and the big slides of ../shared/corpus/make-big.sh (/tmp/tilescope-big),
# built here first when missing. Needs root once to apt-get the anchors' Debian packages.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
corpus="${TILESCOPE_CORPUS:-$root/../shared/corpus}"
big="${TILESCOPE_BIG:-/tmp/tilescope-big}"
java="$JAVA_HOME/bin/java"

need=()
command -v xvfb-run >/dev/null || need+=(xvfb xauth)
/usr/bin/python3 -c 'import openslide, numpy, PIL' 2>/dev/null || need+=(python3-openslide python3-numpy python3-pil)
dpkg-query -W -f='${Status}' libturbojpeg0 2>/dev/null | grep -q "install ok" || need+=(libturbojpeg0)
[ -f /usr/include/turbojpeg.h ] || need+=(libturbojpeg0-dev)
command -v gcc >/dev/null || need+=(gcc)
[ -x /usr/sbin/lighttpd ] || need+=(lighttpd)
[ -x /usr/lib/iipimage-server/iipsrv.fcgi ] || need+=(iipimage-server)
command -v vips >/dev/null || need+=(libvips-tools)
command -v compare >/dev/null || need+=(imagemagick)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "bench: missing ${need[*]} (apt-get install them as root)" >&2; exit 1
  fi
fi
[ -d "$corpus/library" ] || { echo "bench: corpus not found at $corpus (set TILESCOPE_CORPUS)" >&2; exit 1; }
if [ ! -f "$big/big.tif" ] || [ ! -f "$big/big_512.dzi" ]; then
  echo "== building the big benchmark slides into $big (about 4 minutes) =="
  bash "$corpus/make-big.sh" "$big"
fi

./mvnw -q -B -pl engine,benchmarks -am package -DskipTests

echo "== machine =="
lscpu | grep -E 'Model name|^CPU\(s\)' || true
"$java" -version 2>&1 | head -1

echo "== JMH: tile paths, viewports, scheduler =="
"$java" -Dtilescope.corpus="$corpus" -Dtilescope.big="$big" -jar benchmarks/target/benchmarks.jar \
    'TileCacheBenchmark|ViewportBenchmark|SchedulerBenchmark' -f 1 -wi 2 -i 3 -w 2s -r 3s "$@"

echo "== OpenSlide read_region, same level-0 viewport, one thread =="
/usr/bin/python3 benchmarks/scripts/openslide_viewport.py "$big/big.tif" 20

echo "== JPEG decode, one thread, vs tjcycle (TurboJPEG in a C loop over the same tiles) =="
TILESCOPE_CORPUS="$corpus" TILESCOPE_BIG="$big" benchmarks/scripts/decode-vs-tjcycle.sh

echo "== decode scaling: a cold 1920x1080 viewport on 1 and 2 decode threads, with a same-run control =="
TILESCOPE_CORPUS="$corpus" TILESCOPE_BIG="$big" benchmarks/scripts/decode-scaling.sh

echo "== region pixels vs OpenSlide (PSNR, levels 0 and 2) =="
/usr/bin/python3 benchmarks/scripts/compare_openslide.py "$big/big.tif" \
    0:10000:10000:1920:1080 0:39000:29500:1920:1080 2:8000:6000:1920:1080 2:10001:10003:1920:1080

echo "== viewer: scripted pan/zoom and slide switches in a real window (Xvfb) =="
./mvnw -q -B -pl benchmarks -am package -DskipTests
run_ui=( "$java" -cp benchmarks/target/benchmarks.jar org.tilescope.benchmarks.ui.PanZoomRun "$big" "$corpus/library" )
if [ -n "${DISPLAY:-}" ]; then
  "${run_ui[@]}"
elif command -v xvfb-run >/dev/null; then
  xvfb-run -a -s "-screen 0 1920x1080x24" "${run_ui[@]}"
else
  echo "bench: no display and no xvfb-run: skipping the viewer run (apt-get install xvfb)" >&2
fi

echo "== annotations: frame time with 100,000 objects vs without, in a window and offscreen =="
run_annot=( "$java" -Xmx4g -cp benchmarks/target/benchmarks.jar org.tilescope.benchmarks.ui.AnnotationPaintRun 100000 30 )
if [ -n "${DISPLAY:-}" ]; then
  "${run_annot[@]}" window
elif command -v xvfb-run >/dev/null; then
  xvfb-run -a -s "-screen 0 2000x1200x24" "${run_annot[@]}" window
fi
"${run_annot[@]}"

echo "== background preload: foreground tile latency, preload MB/s vs cat, switch after preload =="
TILESCOPE_CORPUS="$corpus" TILESCOPE_BIG="$big" benchmarks/scripts/preload-bench.sh

echo "== memory soak: the viewer over 30 slides, preload on, ${SOAK_MINUTES:-2} min (the recorded run: soak-window.sh 10) =="
TILESCOPE_CORPUS="$corpus" benchmarks/scripts/soak-window.sh "${SOAK_MINUTES:-2}" || echo "bench: the memory soak missed a goal (above)" >&2

echo "== start-up: ./tilescope SLIDE to the first sharp frame, corpus slide and big.tif, AOT cache, anchors =="
TILESCOPE_CORPUS="$corpus" TILESCOPE_BIG="$big" benchmarks/scripts/startup-slide.sh 5

echo "== slides without a pyramid: per-tile reduced decode and encode, thumbnail and view vs vips =="
"$java" --enable-native-access=ALL-UNNAMED -Dtilescope.corpus="$corpus" -cp benchmarks/target/benchmarks.jar \
    org.tilescope.benchmarks.PyramidTileBenchmark
./mvnw -q -B -pl app -am package -DskipTests
TILESCOPE_CORPUS="$corpus" benchmarks/scripts/nopyramid.sh
echo "== import: a 40000x30000 JPEG into Deep Zoom and tiled TIFF vs vips dzsave and tiffsave (time, RSS, PSNR) =="
TILESCOPE_CORPUS="$corpus" benchmarks/scripts/import-bench.sh
echo "== slide library: scan/rescan, tokenization vs JTokkit, search vs grep (10,000 generated slides) =="
benchmarks/scripts/library-bench.sh
echo "== remote slides: sharp 1:1 viewport over loopback HTTP (lighttpd, iipsrv) vs the local file =="
TILESCOPE_CORPUS="$corpus" benchmarks/scripts/remote-bench.sh
