#!/usr/bin/env bash
# Import against libvips, same run: a big plain JPEG (the corpus TIFF's level 0 scaled by FACTOR
# with vips, default 20/3: 40000x30000) into a pyramid, four ways with the same tile size and
# quality (Q80):
#   tilescope import (Deep Zoom, tile 254, overlap 1)  vs  vips dzsave (same)
#   tilescope import --format tiff (tile 256)           vs  vips tiffsave --tile --pyramid --compression jpeg
# and, as the before of the encoder change, tilescope import with ImageIO forced (-Dtilescope.decoder=imageio:
# the JDK's JPEG writer instead of libjpeg-turbo). Ours run with -Xmx1g. For each: wall time, CPU
# time and peak RSS (/usr/bin/time -v), the ratio to vips, the load average; PSNR of our output
# against vips' at level 0 (a 2048x2048 region) and level 3 (the whole level), read back through
# `tilescope region` and compared by ImageMagick; and where our time went (the --json summary's stages).
#   benchmarks/scripts/import-bench.sh [FACTOR]
#   benchmarks/scripts/import-bench.sh IMAGE_FILE   (any input as it is, e.g. a strip TIFF made by
#       vips tiffsave /tmp/tilescope-big/big.tif strips.tif --compression lzw [--bigtiff])
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK=${TILESCOPE_BENCH_DIR:-/tmp/tilescope-import-bench}
FACTOR=${1:-6.666666666666667}
CORPUS=${TILESCOPE_CORPUS:-$ROOT/../shared/corpus}
SRC_TIFF="$CORPUS/tiff/C24-0350_prostate_HE.tif"
command -v vips >/dev/null || { echo "needs vips (apt-get install libvips-tools)"; exit 1; }
command -v compare >/dev/null || { echo "needs ImageMagick's compare (apt-get install imagemagick)"; exit 1; }
command -v python3 >/dev/null || { echo "needs python3"; exit 1; }
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR="$ROOT/app/target/tilescope.jar"
[ -f "$JAR" ] || { echo "needs $JAR (./mvnw -o -q -pl app -am package -DskipTests)"; exit 1; }
mkdir -p "$WORK"
if [ -f "$FACTOR" ]; then
  IN="$(realpath "$FACTOR")"
else
  IN="$WORK/input-x$FACTOR.jpg"
  [ -f "$IN" ] || vips resize "$SRC_TIFF[page=0]" "$IN[Q=85]" "$FACTOR"
fi
W=$(vipsheader -f width "$IN")
H=$(vipsheader -f height "$IN")
echo "input: $(vipsheader "$IN"), $(stat -L -c %s "$IN") bytes"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $("$JAVA" -version 2>&1 | head -1); vips $(vips --version)"
NAME=$(basename "${IN%.*}")

# measure LABEL CMD...: runs CMD under /usr/bin/time -v, prints wall s, CPU s, peak RSS MB, load average;
# sets WALL_<LABEL> for the ratios
measure() {
  local label=$1; shift
  local log="$WORK/$label.time"
  local load0 load1
  load0=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v "$@" >"$WORK/$label.out" 2>"$log" || { echo "$label failed:"; tail -5 "$log"; exit 1; }
  load1=$(cut -d' ' -f1 /proc/loadavg)
  python3 - "$log" "$label" "$load0" "$load1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
def get(key):
    return re.search(re.escape(key) + r": (.*)", text).group(1).strip()
parts = [float(p) for p in get("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(get("User time (seconds)")) + float(get("System time (seconds)"))
rss = int(get("Maximum resident set size (kbytes)")) / 1024
print(f"{sys.argv[2]:<22} {wall:7.1f} s wall, {cpu:7.1f} s CPU, {rss:6.0f} MB peak RSS, load {sys.argv[3]} -> {sys.argv[4]}")
open(sys.argv[1] + ".wall", "w").write(f"{wall}\n")
EOF
}
wall() { cat "$WORK/$1.time.wall"; }

rm -rf "$WORK/ours-dzi" "$WORK/ours-tiff" "$WORK/ours-imageio" "$WORK/vips-dzi" "$WORK/vips-tiff"
mkdir -p "$WORK/vips-dzi" "$WORK/vips-tiff"
echo "== same run, Q80 (ours -Xmx1g) =="
measure ours-dzi "$JAVA" -Xmx1g -jar "$JAR" import "$IN" --out "$WORK/ours-dzi" --quality 80 --tile 254 --overlap 1 --json
measure vips-dzsave vips dzsave "$IN" "$WORK/vips-dzi/$NAME" --tile-size 254 --overlap 1 --suffix '.jpeg[Q=80]'
measure ours-tiff "$JAVA" -Xmx1g -jar "$JAR" import "$IN" --out "$WORK/ours-tiff" --format tiff --tile 256 --quality 80 --json
measure vips-tiffsave vips tiffsave "$IN" "$WORK/vips-tiff/$NAME.tif" --tile --tile-width 256 --tile-height 256 \
    --pyramid --compression jpeg --Q 80
measure ours-dzi-imageio "$JAVA" -Xmx1g -Dtilescope.decoder=imageio -jar "$JAR" import "$IN" \
    --out "$WORK/ours-imageio" --quality 80 --tile 254 --overlap 1 --json
echo "== ratios (goal <= 1.5x) =="
python3 - "$(wall ours-dzi)" "$(wall vips-dzsave)" "$(wall ours-tiff)" "$(wall vips-tiffsave)" "$(wall ours-dzi-imageio)" <<'EOF'
import sys
od, vd, ot, vt, oi = map(float, sys.argv[1:])
print(f"Deep Zoom: tilescope / vips dzsave   = {od / vd:.2f}x")
print(f"TIFF:      tilescope / vips tiffsave = {ot / vt:.2f}x")
print(f"encoder:   ImageIO / libjpeg-turbo   = {oi / od:.2f}x (Deep Zoom, same input)")
EOF
echo "== where our time went (--json stages; encode and store summed over encoder threads) =="
for run in ours-dzi ours-tiff ours-dzi-imageio; do
  python3 - "$WORK/$run.out" "$run" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
f = r["results"][0]
w = f["writing"]
s = w["stageSeconds"]
c = w["cpuSeconds"]
per = ", ".join(f"{x['tasks']} @ {x['meanMillis']:.2f} ms" for x in w["workers"])
print(f"{sys.argv[2]:<18} {w['encoder']}, {w['pool']['workers']} workers ({w['pool']['limitedBy']}) [{per}], "
      f"queue peak {w['pool']['peakQueue']}/{w['pool']['queueCapacity']}; "
      f"read {s['read']:.1f} s, reduce+cut {s['reduceAndCut']:.1f} s, wait {s['waitForEncoders']:.1f} s, "
      f"encode {s['encode']:.1f} s, store {s['store']:.1f} s; CPU: process {f['cpuSeconds']:.1f} s = writer thread "
      f"{c['writerThread']:.1f} + encoders {c['encoderThreads']:.1f} + decoder and the rest "
      f"{f['cpuSeconds'] - c['writerThread'] - c['encoderThreads']:.1f}; out {f['bytesOut'] / 1e6:.1f} MB")
EOF
done
echo "vips dzsave out: $(du -sb "$WORK/vips-dzi" | cut -f1 | awk '{printf "%.1f MB", $1 / 1e6}'),"\
     "tiffsave out: $(stat -c %s "$WORK/vips-tiff/$NAME.tif" | awk '{printf "%.1f MB", $1 / 1e6}')"

echo "== PSNR against vips (goal >= 40 dB): level 0 region 2048x2048, level 3 whole =="
psnr() { # LABEL OURS THEIRS LEVEL X Y WIDTH HEIGHT
  "$JAVA" -jar "$JAR" region "$2" --level "$4" --x "$5" --y "$6" --width "$7" --height "$8" --out "$WORK/o.png" >/dev/null 2>&1
  "$JAVA" -jar "$JAR" region "$3" --level "$4" --x "$5" --y "$6" --width "$7" --height "$8" --out "$WORK/v.png" >/dev/null 2>&1
  echo "$1 level $4: $(compare -metric PSNR "$WORK/o.png" "$WORK/v.png" null: 2>&1) dB"
}
X0=$((W / 2 - 1024)); Y0=$((H / 2 - 1024))
W3=$((W / 8)); H3=$((H / 8))
psnr "Deep Zoom" "$WORK/ours-dzi/$NAME.dzi" "$WORK/vips-dzi/$NAME.dzi" 0 $X0 $Y0 2048 2048
psnr "Deep Zoom" "$WORK/ours-dzi/$NAME.dzi" "$WORK/vips-dzi/$NAME.dzi" 3 0 0 $W3 $H3
psnr "TIFF" "$WORK/ours-tiff/$NAME.tif" "$WORK/vips-tiff/$NAME.tif" 0 $X0 $Y0 2048 2048
psnr "TIFF" "$WORK/ours-tiff/$NAME.tif" "$WORK/vips-tiff/$NAME.tif" 3 0 0 $W3 $H3
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
