#!/usr/bin/env bash
# Decode scaling with cores: a cold 1920x1080 level-0 viewport through the real pipeline on 1 and 2
# decode threads (org.tilescope.benchmarks.DecodeScaling), for big.tif and big_512.dzi, each run
# between two same-run controls of what the machine gives two threads right then: tjcycle on the
# 256 px benchmark tiles, one process for 3 s, then two at once for 3 s (their summed tiles/s over
# the one's). On a shared machine the decode speed-up can only be read against that control.
#
#   benchmarks/scripts/decode-scaling.sh [ROUNDS]       (default 10)
#
# Needs: the benchmarks jar, a JDK 25, gcc and turbojpeg.h, the big slides (TILESCOPE_BIG,
# default /tmp/tilescope-big) and the corpus (TILESCOPE_CORPUS, default ../shared/corpus).
set -euo pipefail
rounds="${1:-10}"
source "$(dirname "$0")/tjcycle-common.sh"
"${jvm[@]}" org.tilescope.benchmarks.DecodeTiles 256 100 > "$work/tiles.txt"
mapfile -t files < "$work/tiles.txt"
rate() { awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^tiles\/s/) print $(i - 1) }'; }

control() {
    local one two_a two_b
    one=$("$work/tjcycle" -s 3 "${files[@]}" | rate)
    "$work/tjcycle" -s 3 "${files[@]}" | rate > "$work/a" &
    "$work/tjcycle" -s 3 "${files[@]}" | rate > "$work/b"
    wait
    two_a=$(cat "$work/a"); two_b=$(cat "$work/b")
    awk -v o="$one" -v a="$two_a" -v b="$two_b" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN { printf "   control: tjcycle 1 process %.0f tiles/s, 2 processes %.0f: %.2fx (load average %s)\n", o, a + b, (a + b) / o, l }'
}

for slide in big.tif big_512.dzi; do
    control
    "${jvm[@]}" org.tilescope.benchmarks.DecodeScaling "$slide" 2 "$rounds" 2>/dev/null
    control
done
