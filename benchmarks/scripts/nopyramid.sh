#!/usr/bin/env bash
# Slides without a pyramid: `thumbnail` and `view` of single-level tiled TIFFs (20000x20000 with
# the default heap, 40000x40000 with -Xmx1g), wall seconds, CPU seconds and peak RSS from
# /usr/bin/time, with `vips thumbnail` on the same file as the same-run anchor.
#   benchmarks/scripts/nopyramid.sh [JAR ...]    default: app/target/tilescope.jar
# Give an older build's jar first to compare before and after in one run. The inputs are made
# once with vips from the corpus TIFF (its 6000x4500 level 0 repeated, JPEG Q75, 256 px tiles,
# no --pyramid) into ${TILESCOPE_NOPYR:-/tmp/tilescope-nopyr}.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${TILESCOPE_CORPUS:-$root/../shared/corpus}"
out="${TILESCOPE_NOPYR:-/tmp/tilescope-nopyr}"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=("$root/app/target/tilescope.jar")
src="$corpus/tiff/C24-0350_prostate_HE.tif"
mkdir -p "$out"

make_input() { # size repeat-across repeat-down
  local f="$out/nopyr-$1.tif"
  [ -s "$f" ] && return
  vips replicate "$src" "$out/rep.v" "$2" "$3"
  vips crop "$out/rep.v" "$out/crop.v" 0 0 "$1" "$1"
  vips tiffsave "$out/crop.v" "$f.part" --tile --tile-width 256 --tile-height 256 --compression jpeg
  mv "$f.part" "$f"
  rm -f "$out/rep.v" "$out/crop.v"
}
make_input 20000 4 5
make_input 40000 7 9

measure() { # label command...
  local label=$1; shift
  /usr/bin/time -o "$out/time.txt" -f "%e %U %S %M %x" "$@" >/dev/null 2>&1
  read -r wall user sys rss code < <(tail -1 "$out/time.txt")
  if [ "$(echo "$wall >= 180" | bc)" = 1 ]; then
    printf "%-44s killed at the 180 s limit (no image)\n" "$label"   # time cannot see past timeout's kill
    return
  fi
  printf "%-44s %7.1f s %7.1f CPU s %6d MB  exit %s\n" "$label" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)) "$code"
}

lscpu | grep -E 'Model name|^CPU\(s\)'
uptime
for size in 20000 40000; do
  f="$out/nopyr-$size.tif"
  heap=""; [ "$size" = 40000 ] && heap="-Xmx1g"
  half=$((size / 2)); zoom=$(echo "scale=4; 400 / $size" | bc)
  echo "== $f ($(du -mL "$f" | cut -f1) MB) ${heap:-default heap}"
  measure "vips thumbnail --size 512" vips thumbnail "$f" "$out/vips.png" 512
  for jar in "${jars[@]}"; do
    run=("$java" --enable-native-access=ALL-UNNAMED $heap -jar "$jar")
    name=$(basename "$jar")
    measure "$name thumbnail --max 512" timeout -k 10 180 "${run[@]}" thumbnail "$f" --max 512 --out "$out/t.png"
    measure "$name view --zoom $zoom --size 512x512" timeout -k 10 180 "${run[@]}" view "$f" \
        --center "$half,$half" --zoom "$zoom" --size 512x512 --out "$out/v.png"
  done
done
