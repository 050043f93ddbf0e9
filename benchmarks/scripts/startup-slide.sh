#!/usr/bin/env bash
# `./tilescope SLIDE` to the first sharp frame (benchmarks/README.md, "Start-up: the launcher on a
# slide"), for a corpus slide and the 40000x30000 big.tif, with and without an AOT cache, against
# anchors started in the same rounds:
#   - `java -version`: the JVM's own start and exit, the floor of any Java program
#   - `./tilescope --version`: the launcher (finding the JDK, the build check) and the JVM, no window
#   - `vipsheader SLIDE` (the TIFF only; vips reads no Deep Zoom): libvips opening the same file
#
#   benchmarks/scripts/startup-slide.sh [ROUNDS]        (default 5)
#
# The figure is the wall time from starting `./tilescope SLIDE` to the moment the app's log line
# "first sharp frame N ms after launch" arrives (N, from the JVM's start, is printed beside it: the
# difference is the launcher's own time). -Dtilescope.exitWhenSharp=true (TILESCOPE_JAVA_OPTS) ends
# each start there. Every start gets fresh settings, library and cache folders (a first start).
# The AOT cache is made here for the development jar (the app-image has its own, scripts/startup.sh):
# one start of `java -XX:AOTCacheOutput -jar app/target/tilescope.jar` on the corpus slide, then
# `TILESCOPE_JAVA_OPTS=-XX:AOTCache=...` on the launcher. Needs Xvfb.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/benchmarks/scripts/bench-common.sh"
ROUNDS=${1:-5}
corpus="${TILESCOPE_CORPUS:-$ROOT/../shared/corpus}"
big="${TILESCOPE_BIG:-/tmp/tilescope-big}"
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR="$ROOT/app/target/tilescope.jar"
SMALL="$corpus/library/C24-0112_liver_HE.dzi"
BIG="$big/big.tif"
[ -f "$SMALL" ] || { echo "startup-slide: $SMALL missing (set TILESCOPE_CORPUS)" >&2; exit 1; }
[ -f "$BIG" ] || { echo "startup-slide: $BIG missing: run $corpus/make-big.sh $big" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "startup-slide: needs Xvfb (apt-get install xvfb)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tilescope-startup-slide.XXXXXX)
start_xvfb 200 "$WORK"

# the launcher builds when the jar is missing or older than the sources: never inside a timed start
./tilescope --version >/dev/null

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

# One viewer start in fresh folders; prints "WALL_MS APP_MS" (NaN NaN when no sharp frame came).
start_viewer() {
  local dir t0 wall=NaN app=NaN line
  dir=$(mktemp -d "$WORK/start.XXXXXX")
  t0=$(ms_now)
  while IFS= read -r line; do
    case $line in
      *"first sharp frame "*" ms after launch"*)
        wall=$(( $(ms_now) - t0 ))
        app=$(printf '%s' "$line" | sed -n 's/.*first sharp frame \([0-9]*\) ms.*/\1/p') ;;
    esac
  done < <(DISPLAY=":$DISPLAY_NUM" TILESCOPE_CONFIG="$dir/config" TILESCOPE_DATA="$dir/data" \
             TILESCOPE_CACHE="$dir/cache" timeout 300 "$@" 2>&1 || true)
  rm -rf "$dir"
  echo "$wall $app"
}

# The wall time of a command that ends by itself, in ms.
wall_of() {
  local t0
  t0=$(ms_now)
  "$@" >/dev/null 2>&1 || true
  echo $(( $(ms_now) - t0 ))
}

AOT="$WORK/tilescope-dev.aot"
echo "AOT cache: recording one start on $(basename "$SMALL") ..." >&2
start_viewer "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dtilescope.exitWhenSharp=true \
    -XX:AOTCacheOutput="$AOT" -jar "$JAR" "$SMALL" >/dev/null
[ -s "$AOT" ] || { echo "startup-slide: no AOT cache was written" >&2; exit 1; }

declare -A T
add() { T[$1]="${T[$1]:-} $2"; }
loads=""
for ((r = 1; r <= ROUNDS; r++)); do
  add jvm "$(wall_of "$JAVA_HOME/bin/java" -version)"
  add version "$(wall_of ./tilescope --version)"
  add vips "$(wall_of vipsheader "$BIG")"
  for s in small big; do
    slide=$SMALL; [ $s = big ] && slide=$BIG
    res=$(TILESCOPE_JAVA_OPTS="-Dtilescope.exitWhenSharp=true" start_viewer ./tilescope "$slide")
    add "$s.plain.wall" "${res% *}"; add "$s.plain.app" "${res#* }"
    res2=$(TILESCOPE_JAVA_OPTS="-Dtilescope.exitWhenSharp=true -XX:AOTCache=$AOT" start_viewer ./tilescope "$slide")
    add "$s.aot.wall" "${res2% *}"; add "$s.aot.app" "${res2#* }"
    echo "round $r $s: launcher ${res% *} ms (JVM to sharp ${res#* }), with AOT cache ${res2% *} ms (${res2#* })" >&2
  done
  loads="$loads $(cut -d' ' -f1 /proc/loadavg)"
done

# Is the cache used? One more start on big.tif, logging where each class came from.
TILESCOPE_JAVA_OPTS="-Dtilescope.exitWhenSharp=true -XX:AOTCache=$AOT -Xlog:class+load=info:file=$WORK/classes.txt" \
  start_viewer ./tilescope "$BIG" >/dev/null
from_cache=$(grep -c 'shared objects file' "$WORK/classes.txt" || true)
loaded=$(grep -c 'source:' "$WORK/classes.txt" || true)

m() { echo "${T[$1]}" | median; }
echo
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "load average (1 min) after each round:$loads"
echo "corpus slide: $(basename "$SMALL") ($(sed -n 's/.*Width="\([0-9]*\)".*/\1/p' "$SMALL")x$(sed -n 's/.*Height="\([0-9]*\)".*/\1/p' "$SMALL"), Deep Zoom); big: $(basename "$BIG") ($(vipsheader "$BIG" | sed 's/.*: //; s/ .*//'), TIFF)"
printf '%-46s %12s %14s\n' "median of $ROUNDS rounds" "wall ms" "JVM-to-sharp"
printf '%-46s %12s %14s\n' "anchor: java -version" "$(m jvm)" ""
printf '%-46s %12s %14s\n' "anchor: ./tilescope --version" "$(m version)" ""
printf '%-46s %12s %14s\n' "anchor: vipsheader big.tif" "$(m vips)" ""
for s in small big; do
  name="corpus slide"; [ $s = big ] && name="big.tif"
  printf '%-46s %12s %14s\n' "./tilescope $name, to first sharp frame" "$(m $s.plain.wall)" "$(m $s.plain.app)"
  printf '%-46s %12s %14s\n' "./tilescope $name, AOT cache" "$(m $s.aot.wall)" "$(m $s.aot.app)"
done
echo "AOT cache $(du -h "$AOT" | cut -f1): $from_cache of the $loaded classes a big.tif start loads came from it"
for s in small big; do
  awk -v p="$(m $s.plain.wall)" -v a="$(m $s.aot.wall)" -v j="$(m jvm)" -v v="$(m version)" -v s="$s" 'BEGIN {
    printf "%s: launcher / java -version %.1fx, / ./tilescope --version %.1fx; AOT / plain %.2fx\n", s, p / j, p / v, a / p }'
done
