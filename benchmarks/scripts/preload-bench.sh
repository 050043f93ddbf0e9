#!/usr/bin/env bash
# Background preload benchmarks (benchmarks/README.md, "Background preload"), each with its
# same-run baseline:
#   1. foreground tile latency while panning big.tif: no preloader vs the preloader over the
#      8-slide library and over a 30-slide copy of it
#   2. preload MB/s vs `cat` of the same tile files to /dev/null, cold and warm page cache
#   3. next-slide switch time after a preload vs cold
# Needs the benchmarks jar (./mvnw -pl benchmarks -am package -DskipTests), JDK 25 in JAVA_HOME,
# the corpus and /tmp/tilescope-big/big.tif (../shared/corpus/make-big.sh).
# PRELOAD_ROUNDS (default 3) sets the rounds of each measure.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
corpus="${TILESCOPE_CORPUS:-$root/../shared/corpus}"
big="${TILESCOPE_BIG:-/tmp/tilescope-big}"
lib8="$corpus/library"
lib30="${TILESCOPE_LIB30:-/tmp/tilescope-lib30}"
java="${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java"
jar=benchmarks/target/benchmarks.jar
rounds="${PRELOAD_ROUNDS:-3}"
[ -f "$jar" ] || ./mvnw -q -B -pl benchmarks -am package -DskipTests
[ -f "$big/big.tif" ] || { echo "preload-bench: $big/big.tif missing: run $corpus/make-big.sh $big" >&2; exit 1; }

# 30 slides: copies of the library under new names (scripts/bench-common.sh)
. "$root/benchmarks/scripts/bench-common.sh"
make_lib30 "$lib8" "$lib30"

run() { "$java" --enable-native-access=ALL-UNNAMED -Xmx4g -Dpreload.rounds="$rounds" \
          -cp "$jar" org.tilescope.benchmarks.PreloadBench "$@"; }

echo "== machine =="
lscpu | grep -E 'Model name|^CPU\(s\)' || true
"$java" -version 2>&1 | head -1
echo "library: $(ls "$lib8"/*.dzi | wc -l) slides, $(du -sh "$lib8" | cut -f1); lib30: $(ls "$lib30"/*.dzi | wc -l) slides, $(du -sh "$lib30" | cut -f1)"

echo "== 1. foreground tile latency while panning big.tif, with and without the preloader =="
run latency "$big/big.tif" "$lib8" "$lib30"

echo "== 2. preload throughput vs cat, cold and warm page cache =="
run throughput "$lib8" "$lib30"

echo "== 3. next-slide switch: after preload vs cold =="
run switch "$lib8"
