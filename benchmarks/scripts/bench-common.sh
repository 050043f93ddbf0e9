#!/usr/bin/env bash
# Sourced by the benchmark scripts.

# make_lib30 LIB8 LIB30 builds a 30-slide library in LIB30 from
# the corpus' 8-slide LIB8 (once; a folder that already holds 30 slides is kept). The copies are
# real files under new names: slide ids follow the canonical path, so symlinks would be the same
# slides.
make_lib30() {
  local lib8=$1 lib30=$2 n=0 dzi base name
  if [ "$(ls "$lib30"/*.dzi 2>/dev/null | wc -l)" = 30 ]; then
    return 0
  fi
  rm -rf "$lib30"; mkdir -p "$lib30"
  while [ $n -lt 30 ]; do
    for dzi in "$lib8"/*.dzi; do
      [ $n -lt 30 ] || break
      base="$(basename "$dzi" .dzi)"
      name="$(printf 'S%02d_%s' "$n" "$base")"
      cp "$dzi" "$lib30/$name.dzi"
      cp -r "$lib8/${base}_files" "$lib30/${name}_files"
      n=$((n + 1))
    done
  done
  chmod -R u+w "$lib30"
}

# median: the median of the numbers on stdin, blank-separated or one a line.
median() {
  tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# start_xvfb FIRST WORK: a 1920x1080 Xvfb on display FIRST..FIRST+99 (at random, so two scripts
# seldom meet), in DISPLAY_NUM; on exit it is stopped and the folder WORK removed.
start_xvfb() {
  DISPLAY_NUM=$(($1 + RANDOM % 100))
  Xvfb ":$DISPLAY_NUM" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  XVFB_WORK=$2
  trap 'kill "$XVFB_PID" 2>/dev/null || true; rm -rf "$XVFB_WORK"' EXIT
  sleep 1
}
