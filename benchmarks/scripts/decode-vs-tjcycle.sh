#!/usr/bin/env bash
# One decode thread, a different tile every call: the engine's decoder against tjcycle (TurboJPEG
# into one reused buffer, benchmarks/tjcycle/tjcycle.c), on the same files in the same order for the
# same seconds, in the same run, alternating C and Java, for 100 different 256 px and 512 px tiles.
#
#   benchmarks/scripts/decode-vs-tjcycle.sh
#
# Tiles (org.tilescope.benchmarks.DecodeTiles SIZE 100: full-size tiles only, spread evenly over
# the sorted candidates):
#   256 px: the interior 256x256 tiles of every library/*_files/12/ level of the corpus
#   512 px: the 512x512 tiles of fastpath/C24-0402_stomach_HE_tiles.fastpath/tiles_files/4/ and,
#           when present, $TILESCOPE_BIG/big_512_files/16/
# Per round: tjcycle (flags 0, as the issue's anchor), tjcycle with the engine's flags
# (TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS), the engine with pooled pixel arrays (what the
# pipeline does) and with a new array per tile. Ratios are per round (engine / tjcycle of the
# same round), then the median over the rounds.
#
# Needs: the benchmarks jar (./mvnw -q -pl engine,benchmarks -am package -DskipTests), a JDK 25
# (JAVA_HOME or java on PATH), gcc and turbojpeg.h (Debian: gcc libturbojpeg0-dev), awk.
# Environment: TILESCOPE_CORPUS (default ../shared/corpus from the project root), TILESCOPE_BIG
# (default /tmp/tilescope-big), TJCYCLE_SECONDS (per run, default 3), TJCYCLE_ROUNDS (default 3),
# TJCYCLE_TILES (default 100).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="benchmarks/target/benchmarks.jar"
corpus="${TILESCOPE_CORPUS:-../shared/corpus}"
big="${TILESCOPE_BIG:-/tmp/tilescope-big}"
seconds="${TJCYCLE_SECONDS:-3}"
rounds="${TJCYCLE_ROUNDS:-3}"
count="${TJCYCLE_TILES:-100}"
engine_flags=40960   # TJFLAG_STOPONWARNING 8192 | TJFLAG_LIMITSCANS 32768, as TurboJpegDecoder

[[ -f "$jar" ]] || { echo "no $jar: run ./mvnw -q -pl engine,benchmarks -am package -DskipTests" >&2; exit 1; }
command -v gcc >/dev/null || { echo "gcc not found: apt-get install gcc" >&2; exit 1; }
[[ -d "$corpus/library" ]] || { echo "corpus not found at $corpus (set TILESCOPE_CORPUS)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if ! gcc -O2 -o "$work/tjcycle" benchmarks/tjcycle/tjcycle.c -lturbojpeg 2> "$work/gcc.log"; then
    cat "$work/gcc.log" >&2
    echo "tjcycle did not build: apt-get install libturbojpeg0-dev" >&2
    exit 1
fi

jvm=( "$java" --enable-native-access=ALL-UNNAMED -Xmx4g -Dtilescope.corpus="$corpus" -Dtilescope.big="$big" -cp "$jar" )
rate() { awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^tiles\/s/) print $(i - 1) }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A result
for size in 256 512; do
    list="$work/tiles-$size.txt"
    "${jvm[@]}" org.tilescope.benchmarks.DecodeTiles "$size" "$count" > "$list"
    mapfile -t files < "$list"
    echo "== $size px: ${#files[@]} different tiles, ${seconds} s per run, $rounds rounds =="
    # where the tiles came from: their folders and how many from each
    xargs -n1 dirname < "$list" | sort | uniq -c | sed 's/^/   /'
    : > "$work/ratio-$size-pooled"; : > "$work/ratio-$size-allocating"; : > "$work/ratio-$size-flags"
    for r in $(seq 1 "$rounds"); do
        c=$("$work/tjcycle" -s "$seconds" "${files[@]}" | rate)
        cf=$("$work/tjcycle" -s "$seconds" -f "$engine_flags" "${files[@]}" | rate)
        jp=$("${jvm[@]}" org.tilescope.benchmarks.DecodeCycle "$seconds" pooled "$list" | tee -a "$work/java.log" | rate)
        ja=$("${jvm[@]}" org.tilescope.benchmarks.DecodeCycle "$seconds" allocating "$list" | rate)
        printf '   round %d: tjcycle %s, tjcycle engine flags %s, engine pooled %s, engine allocating %s tiles/s\n' \
            "$r" "$c" "$cf" "$jp" "$ja"
        awk -v a="$jp" -v b="$c" 'BEGIN { print a / b }' >> "$work/ratio-$size-pooled"
        awk -v a="$ja" -v b="$c" 'BEGIN { print a / b }' >> "$work/ratio-$size-allocating"
        awk -v a="$cf" -v b="$c" 'BEGIN { print a / b }' >> "$work/ratio-$size-flags"
        echo "$c" >> "$work/c-$size"; echo "$jp" >> "$work/jp-$size"; echo "$ja" >> "$work/ja-$size"
    done
    tail -1 "$work/java.log" | sed 's/^/   last pooled run: /'
    result[$size]=$(printf '%s %s %s %s %s %s' "$(median < "$work/c-$size")" "$(median < "$work/jp-$size")" \
        "$(median < "$work/ja-$size")" "$(median < "$work/ratio-$size-pooled")" \
        "$(median < "$work/ratio-$size-allocating")" "$(median < "$work/ratio-$size-flags")")
done

echo
echo "== one thread, a different tile every call: medians over $rounds rounds (higher is better) =="
printf '%-6s %14s %14s %14s %12s %12s %14s\n' size "tjcycle" "engine pooled" "engine alloc" "pooled/tj" "alloc/tj" "tj flags/tj"
for size in 256 512; do
    read -r c jp ja rp ra rf <<< "${result[$size]}"
    printf '%-6s %14.1f %14.1f %14.1f %11.2fx %11.2fx %13.2fx\n' "$size" "$c" "$jp" "$ja" "$rp" "$ra" "$rf"
done
