#!/usr/bin/env bash
# Slide library benchmarks (benchmarks/README.md, "Slide library"), each with its same-run anchor:
#   1. first scan of 10,000 small slides with notes, rescan with nothing changed, rescan with 1% changed
#   2. the tokenize worker's path per thread vs JTokkit alone on the same texts
#   3. search p50/p99 at 10,000 slides vs `grep -ril` of one word over the same notes
# The library is generated once into $TILESCOPE_LIB10K (default /tmp/tilescope-lib10k); the
# library's own data goes to a temp folder, never the user's.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
lib="${TILESCOPE_LIB10K:-/tmp/tilescope-lib10k}"
java="${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java"
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || ./mvnw -q -B -pl benchmarks -am package -DskipTests
run() { "$java" --enable-native-access=ALL-UNNAMED -Xmx2g -cp "$jar" org.tilescope.benchmarks.LibraryBench "$@" 2>&1 \
          | grep -v '^tilescope: \|^WARNING\|^INFO\|^[A-Z][a-z][a-z] [0-9]'; }
if [ "$(find "$lib" -name '*.dzi' 2>/dev/null | wc -l)" != 10000 ]; then
  rm -rf "$lib"
  run generate "$lib" 10000
fi
echo "== machine =="
lscpu | grep -E 'Model name|^CPU\(s\)' || true
"$java" -version 2>&1 | head -1
uptime
echo "== 1. scan: first, rescan unchanged, rescan 1% changed =="
run scan "$lib"
echo "== 2. tokenization per thread vs JTokkit alone =="
run tokenize "$lib"
echo "== 3. search latency vs grep -ril =="
run search "$lib"
uptime
