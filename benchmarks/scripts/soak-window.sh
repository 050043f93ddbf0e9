#!/usr/bin/env bash
# The memory soak (benchmarks/README.md, "Memory soak"): the viewer in a real window (Xvfb when
# there is no display), background preload on, driven for MINUTES (default 10) through the 30
# slides of a copy of the corpus library: open, 1:1, fling, zoom out and in, fit, next. Samples
# every 5 s: heap after GC (collector notifications, nothing forced), the L1 + L2 budget, threads,
# open files, RSS; a forced full GC once a minute for the live heap; heap histograms after the
# first minute and at the end. Exit status 1 when a goal is not met.
#
#   benchmarks/scripts/soak-window.sh [MINUTES]
#
# Output in $SOAK_OUT (default /tmp/tilescope-soak): soak.csv, summary.txt, histogram-*.txt,
# soak-memory.png, loadavg.txt. A run of 10 minutes or more also writes benchmarks/soak-memory.png
# (the committed record). SOAK_HEAP (default 1g) is the heap: the caches take their default
# shares of it (L1 20%, L2 30%), so both fill and evict within the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
minutes="${1:-10}"
corpus="${TILESCOPE_CORPUS:-$root/../shared/corpus}"
lib30="${TILESCOPE_LIB30:-/tmp/tilescope-lib30}"
out="${SOAK_OUT:-/tmp/tilescope-soak}"
heap="${SOAK_HEAP:-1g}"
java="${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java"
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || ./mvnw -q -B -pl benchmarks -am package -DskipTests
. "$root/benchmarks/scripts/bench-common.sh"
make_lib30 "$corpus/library" "$lib30"
rm -rf "$out"; mkdir -p "$out"

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $("$java" -version 2>&1 | head -1)"
echo "soak: $minutes min over $(ls "$lib30"/*.dzi | wc -l) slides ($(du -sh "$lib30" | cut -f1)), -Xmx$heap"
# load average once a minute during the run: the machine is shared
( while :; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 60; done ) >"$out/loadavg.txt" &
load_pid=$!
trap 'kill "$load_pid" 2>/dev/null || true' EXIT

soak=( "$java" "-Xmx$heap" --enable-native-access=ALL-UNNAMED -cp "$jar"
       org.tilescope.benchmarks.soak.WindowSoak "$minutes" "$lib30" "$out" "$out/soak-memory.png" )
status=0
if [ -n "${DISPLAY:-}" ]; then
  "${soak[@]}" || status=$?
else
  command -v xvfb-run >/dev/null || { echo "soak: no display and no xvfb-run (apt-get install xvfb)" >&2; exit 1; }
  xvfb-run -a -s "-screen 0 1920x1080x24" "${soak[@]}" || status=$?
fi
kill "$load_pid" 2>/dev/null || true
echo "load average during the run (1, 5, 15 min):"; sed 's/^/  /' "$out/loadavg.txt"
if [ -f "$out/soak-memory.png" ] && awk -v m="$minutes" 'BEGIN { exit !(m >= 10) }'; then
  cp "$out/soak-memory.png" benchmarks/soak-memory.png
  echo "plot copied to benchmarks/soak-memory.png"
fi
exit "$status"
