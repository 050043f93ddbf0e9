#!/usr/bin/env bash
# Decode tiles/s per thread: Tilescope's decoders (JMH DecodeBenchmark) against libjpeg-turbo's
# own tjbench on the same tiles, in one run, for 256 px and 512 px tiles.
#
#   benchmarks/scripts/decode-vs-tjbench.sh
#
# Needs: the benchmarks jar (./mvnw -q -pl engine,benchmarks -am package -DskipTests), a JDK 25
# (JAVA_HOME or java on PATH), tjbench (Debian: libjpeg-turbo-progs), awk.
# Environment: TILESCOPE_CORPUS (default ../shared/corpus from the project root),
# TJ_TILES (tiles given to tjbench per size, default all 50), TJ_BENCHTIME (s per tile, default 0.5).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="benchmarks/target/benchmarks.jar"
corpus="${TILESCOPE_CORPUS:-../shared/corpus}"
tj_tiles="${TJ_TILES:-50}"
tj_time="${TJ_BENCHTIME:-0.5}"

[[ -f "$jar" ]] || { echo "no $jar: run ./mvnw -q -pl engine,benchmarks -am package -DskipTests" >&2; exit 1; }
command -v tjbench >/dev/null || { echo "tjbench not found: apt-get install libjpeg-turbo-progs" >&2; exit 1; }
[[ -d "$corpus/library" ]] || { echo "corpus not found at $corpus (set TILESCOPE_CORPUS)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== JMH DecodeBenchmark (1 thread) =="
"$java" --sun-misc-unsafe-memory-access=allow -Dtilescope.corpus="$corpus" -jar "$jar" DecodeBenchmark \
    -f 1 -wi 2 -i 3 -w 2s -r 3s -rf csv -rff "$work/jmh.csv" | grep -E '^(# Parameters|Iteration|Benchmark|DecodeBenchmark)'

declare -A tj
for size in 256 512; do
    "$java" -Dtilescope.corpus="$corpus" -cp "$jar" org.tilescope.benchmarks.DecodeTiles "$size" > "$work/tiles-$size.txt"
    total=$(wc -l < "$work/tiles-$size.txt")
    step=$(( total / tj_tiles )); (( step >= 1 )) || step=1
    echo "== tjbench, $size px: every ${step}th of the $total JMH tiles, BGRX, ${tj_time}s each =="
    # tjbench writes its output images into the working directory unless -nowrite; stay out of the tree.
    # Sum of seconds per tile, so the average matches JMH cycling through the same tiles.
    secs=0; n=0
    while IFS= read -r tile; do
        mpps=$(cd "$work" && tjbench "$tile" -bgrx -nowrite -quiet -benchtime "$tj_time" -warmup 0.2 \
            | awk 'NF { last = $NF } END { print last }')
        secs=$(awk -v s="$secs" -v m="$mpps" -v px=$((size * size)) 'BEGIN { printf "%.9f", s + px / (m * 1e6) }')
        n=$((n + 1))
    done < <(awk -v step="$step" -v max="$tj_tiles" '(NR - 1) % step == 0 && c < max { print; c++ }' "$work/tiles-$size.txt")
    tj[$size]=$(awk -v s="$secs" -v n="$n" 'BEGIN { printf "%.1f", n / s }')
    echo "tjbench $size px: ${tj[$size]} tiles/s over $n tiles"
done

echo
echo "== tiles/s per thread (higher is better) =="
echo "(order: cycle = a different tile every call, as in the viewer; repeat = each tile 200 times"
echo " in a row, as tjbench does, so the vs-tjbench ratio of 'repeat' compares like with like)"
printf '%-6s %-14s %-7s %12s %12s %12s\n' size decoder order tiles/s "± (99.9%)" "vs tjbench"
for size in 256 512; do
    printf '%-6s %-14s %-7s %12s %12s %12s\n' "$size" tjbench repeat "${tj[$size]}" "" "1.00x"
    for dec in libjpeg-turbo imageio; do
        # CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit",
        #      "Param: decoder","Param: order","Param: tileSize" (parameters in alphabetical order)
        awk -F, -v d="$dec" -v s="$size" -v t="${tj[$size]}" \
            'NR > 1 && $8 == d && $10 + 0 == s { printf "%-6s %-14s %-7s %12.1f %12.1f %11.2fx\n", s, d, $9, $5, $6, $5 / t }' \
            "$work/jmh.csv"
    done
done
