#!/usr/bin/env bash
# Sourced by the benchmark scripts: make_lib30 LIB8 LIB30 builds a 30-slide library in LIB30 from
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
