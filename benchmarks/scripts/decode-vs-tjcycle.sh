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
# same round), then the median over the rounds; both per wall second and per CPU second of the
# process (the GC's and JIT's too), the steadier figure when other processes share the cores.
#
# Needs: the benchmarks jar (./mvnw -q -pl engine,benchmarks -am package -DskipTests), a JDK 25
# (JAVA_HOME or java on PATH), gcc and turbojpeg.h (Debian: gcc libturbojpeg0-dev), awk.
# Environment: TILESCOPE_CORPUS (default ../shared/corpus from the project root), TILESCOPE_BIG
# (default /tmp/tilescope-big), TJCYCLE_SECONDS (per run, default 3), TJCYCLE_ROUNDS (default 3),
# TJCYCLE_TILES (default 100).
set -euo pipefail

seconds="${TJCYCLE_SECONDS:-3}"
rounds="${TJCYCLE_ROUNDS:-3}"
count="${TJCYCLE_TILES:-100}"
engine_flags=40960   # TJFLAG_STOPONWARNING 8192 | TJFLAG_LIMITSCANS 32768, as TurboJpegDecoder
source "$(dirname "$0")/tjcycle-common.sh"

# "N tiles/s, M tiles/cpu-s" -> "N M"
rates() { awk '{ for (i = 2; i <= NF; i++) { if ($i ~ /^tiles\/s/) w = $(i - 1); if ($i ~ /^tiles\/cpu-s/) c = $(i - 1) } } END { print w + 0, c + 0 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }

for size in 256 512; do
    list="$work/tiles-$size.txt"
    "${jvm[@]}" org.tilescope.benchmarks.DecodeTiles "$size" "$count" > "$list"
    mapfile -t files < "$list"
    echo "== $size px: ${#files[@]} different tiles, ${seconds} s per run, $rounds rounds =="
    # where the tiles came from: their folders and how many from each
    xargs -n1 dirname < "$list" | sort | uniq -c | sed 's/^/   /'
    for r in $(seq 1 "$rounds"); do
        read -r c c_cpu < <("$work/tjcycle" -s "$seconds" "${files[@]}" | rates)
        read -r cf cf_cpu < <("$work/tjcycle" -s "$seconds" -f "$engine_flags" "${files[@]}" | rates)
        read -r jp jp_cpu < <("${jvm[@]}" org.tilescope.benchmarks.DecodeCycle "$seconds" pooled "$list" 2>/dev/null \
            | tee -a "$work/java.log" | rates)
        read -r ja ja_cpu < <("${jvm[@]}" org.tilescope.benchmarks.DecodeCycle "$seconds" allocating "$list" 2>/dev/null | rates)
        printf '   round %d tiles/s (per cpu-s): tjcycle %s (%s), tjcycle engine flags %s (%s), engine pooled %s (%s), engine allocating %s (%s)\n' \
            "$r" "$c" "$c_cpu" "$cf" "$cf_cpu" "$jp" "$jp_cpu" "$ja" "$ja_cpu"
        echo "$c $c_cpu $jp $ja $(ratio "$jp" "$c") $(ratio "$ja" "$c") $(ratio "$cf" "$c") $(ratio "$jp_cpu" "$c_cpu") $(ratio "$ja_cpu" "$c_cpu") $(ratio "$cf_cpu" "$c_cpu")" >> "$work/rounds-$size"
    done
    tail -1 "$work/java.log" | sed 's/^/   last pooled run: /'
done

echo
echo "== one thread, a different tile every call: medians over $rounds rounds (higher is better) =="
echo "(wall: tiles per second of wall time; cpu: tiles per second of the process's CPU time, steadier on a shared machine)"
printf '%-5s %9s %9s %9s %11s %11s %12s %11s %11s %12s\n' size tjcycle "eng pool" "eng alloc" "pool/tj" "alloc/tj" "tjflags/tj" \
    "pool/tj cpu" "alloc/tj cpu" "tjflags cpu"
for size in 256 512; do
    col() { awk -v k="$1" '{ print $k }' "$work/rounds-$size" | median; }
    printf '%-5s %9.1f %9.1f %9.1f %10.2fx %10.2fx %11.2fx %10.2fx %10.2fx %11.2fx\n' "$size" "$(col 1)" "$(col 3)" "$(col 4)" \
        "$(col 5)" "$(col 6)" "$(col 7)" "$(col 8)" "$(col 9)" "$(col 10)"
done
