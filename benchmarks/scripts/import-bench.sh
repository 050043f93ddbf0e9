#!/usr/bin/env bash
# Import against libvips, same run: a big plain JPEG into Deep Zoom with the same tile size,
# overlap and quality; wall time and peak RSS of each (ours with -Xmx1g), and PSNR of the two
# outputs at levels 0 and 3 (regions read back through `tilescope region`, compared by ImageMagick).
#   benchmarks/scripts/import-bench.sh [SIZE_FACTOR]   (default 4: the 6000x4500 corpus TIFF -> 24000x18000)
#   benchmarks/scripts/import-bench.sh IMAGE_FILE      (any input as it is, e.g. a strip TIFF made by
#       vips tiffsave /tmp/tilescope-big/big.tif strips.tif --compression lzw [--bigtiff])
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK=${TILESCOPE_BENCH_DIR:-/tmp/tilescope-import-bench}
FACTOR=${1:-4}
SRC_TIFF="$ROOT/../shared/corpus/tiff/C24-0350_prostate_HE.tif"
command -v vips >/dev/null || { echo "needs vips (apt-get install libvips-tools)"; exit 1; }
command -v compare >/dev/null || { echo "needs ImageMagick's compare (apt-get install imagemagick)"; exit 1; }
mkdir -p "$WORK"
if [ -f "$FACTOR" ]; then
  IN="$(realpath "$FACTOR")"
else
  IN="$WORK/input-x$FACTOR.jpg"
  [ -f "$IN" ] || vips resize "$SRC_TIFF[page=0]" "$IN[Q=85]" "$FACTOR"
fi
NAME="$(basename "${IN%.*}")"
echo "input: $(vipsheader "$IN"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR="$ROOT/app/target/tilescope.jar"
run() { /usr/bin/time -f "%e s wall, %M KB peak RSS, %P CPU" "$@" 2>&1 >/dev/null | tail -1; }
rm -rf "$WORK/ours" "$WORK/vips"; mkdir -p "$WORK/vips"
echo "tilescope import (-Xmx1g): $(run "$JAVA" -Xmx1g -jar "$JAR" import "$IN" --out "$WORK/ours" --quality 80)"
echo "vips dzsave:               $(run vips dzsave "$IN" "$WORK/vips/$NAME" --tile-size 254 --overlap 1 --suffix '.jpeg[Q=80]')"
ours="$WORK/ours/$NAME.dzi"
theirs="$WORK/vips/$NAME.dzi"
for level in 0 3; do
  "$JAVA" -jar "$JAR" region "$ours" --level $level --x 11000 --y 8000 --width 1024 --height 1024 --out "$WORK/o$level.png"
  "$JAVA" -jar "$JAR" region "$theirs" --level $level --x 11000 --y 8000 --width 1024 --height 1024 --out "$WORK/v$level.png"
  echo "PSNR level $level: $(compare -metric PSNR "$WORK/o$level.png" "$WORK/v$level.png" null: 2>&1) dB"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
