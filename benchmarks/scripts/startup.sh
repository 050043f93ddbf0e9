#!/usr/bin/env bash
# Launch to first sharp frame of the demo slide, with and without the AOT cache, in one run.
#
#   benchmarks/scripts/startup.sh [ROUNDS]        (default 7)
#
# Needs the app-image with its AOT cache (./tilescope package) and Xvfb. Each round starts, in
# turn: the app-image as built (AOT cache), a copy of it without the cache (same runtime, same
# options), and the development launch (the full JDK with its default CDS archive, java -jar).
# Every start gets a fresh settings folder, so it opens the demo slide as a first start does; the
# demo itself comes from the user's cache (the packaging run built it). The figure is the app's
# own log line "first sharp frame N ms after launch" (JVM start to the first frame whose wanted
# tiles are all sharp); the wall time of the whole process, exit included, is printed beside it.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
ROUNDS=${1:-7}
IMAGE="$ROOT/packaging/target/image/Tilescope"
JAR="$ROOT/app/target/tilescope.jar"
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -f "$IMAGE/lib/app/tilescope.aot" ] || { echo "startup: no AOT cache in $IMAGE; run ./tilescope package" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "startup: needs Xvfb (apt-get install xvfb)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tilescope-startup.XXXXXX)
# The same image without the cache: copy, drop the file and the launcher option naming it.
cp -a "$IMAGE" "$WORK/noaot"
rm "$WORK/noaot/lib/app/tilescope.aot"
grep -v 'AOTCache=' "$IMAGE/lib/app/Tilescope.cfg" >"$WORK/noaot/lib/app/Tilescope.cfg"

. "$ROOT/benchmarks/scripts/bench-common.sh"
start_xvfb 90 "$WORK"

# Runs one start; prints "SHARP_MS WALL_MS".
start() {
  local settings
  settings=$(mktemp -d "$WORK/settings.XXXXXX")
  local t0 t1 out
  t0=$(date +%s%N)
  out=$(DISPLAY=":$DISPLAY_NUM" TILESCOPE_CONFIG="$settings" timeout 300 "$@" 2>&1) || true
  t1=$(date +%s%N)
  local ms
  ms=$(printf '%s' "$out" | sed -n 's/.*first sharp frame \([0-9]*\) ms.*/\1/p' | head -n 1)
  [ -n "$ms" ] || { echo "startup: no sharp frame from $*: $out" >&2; ms=NaN; }
  echo "$ms $(( (t1 - t0) / 1000000 ))"
}

declare -A SHARP WALL
for mode in aot noaot jdk; do SHARP[$mode]=""; WALL[$mode]=""; done
for ((r = 1; r <= ROUNDS; r++)); do
  for mode in aot noaot jdk; do
    case $mode in
      aot) res=$(JAVA_TOOL_OPTIONS=-Dtilescope.exitWhenSharp=true start "$IMAGE/bin/Tilescope") ;;
      noaot) res=$(JAVA_TOOL_OPTIONS=-Dtilescope.exitWhenSharp=true start "$WORK/noaot/bin/Tilescope") ;;
      jdk) res=$(start "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=50 -XX:-UseCompressedOops \
             -Dtilescope.exitWhenSharp=true -jar "$JAR") ;;
    esac
    SHARP[$mode]="${SHARP[$mode]} ${res% *}"
    WALL[$mode]="${WALL[$mode]} ${res#* }"
    echo "round $r $mode: first sharp frame ${res% *} ms, process ${res#* } ms" >&2
  done
done

echo
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %12s %12s\n' "start (median of $ROUNDS)" "sharp ms" "process ms"
for mode in aot noaot jdk; do
  case $mode in
    aot) label="app-image, AOT cache" ;;
    noaot) label="app-image, no AOT cache" ;;
    jdk) label="java -jar, JDK's default CDS" ;;
  esac
  printf '%-34s %12s %12s\n' "$label" "$(echo "${SHARP[$mode]}" | median)" "$(echo "${WALL[$mode]}" | median)"
done
a=$(echo "${SHARP[aot]}" | median)
n=$(echo "${SHARP[noaot]}" | median)
j=$(echo "${SHARP[jdk]}" | median)
awk -v a="$a" -v n="$n" -v j="$j" 'BEGIN { printf "ratio AOT / no AOT: %.2fx   AOT / java -jar: %.2fx\n", a / n, a / j }'
