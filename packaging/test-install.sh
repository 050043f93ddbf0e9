#!/usr/bin/env bash
# Tests the .deb by installing it: builds it (./tilescope package --no-aot, unless a .deb is
# given), unpacks it with dpkg -x into a throwaway root, and runs the installed launcher there
# with no JDK in reach: doctor --json must name the libturbojpeg bundled in the image and the
# version, info must read a corpus slide, and a window start under Xvfb must reach a sharp frame.
# The package's metadata is checked with dpkg-deb --info. Run by .ci/run.
#
#   packaging/test-install.sh [FILE.deb]
#
# Skips (exit 0, with a line saying why) where there is no dpkg-deb, jpackage or fakeroot.
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(dirname "$HERE")"
CORPUS="${TILESCOPE_CORPUS:-$ROOT/../shared/corpus}"
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "install-test: ok   $*"; }
bad() { failed=$((failed + 1)); echo "install-test: FAIL $*"; }
skip() { echo "install-test: skip $*"; }

if ! command -v dpkg-deb >/dev/null 2>&1; then
  skip "no dpkg-deb: not a Debian system, nothing to install"
  exit 0
fi

DEB="${1:-}"
if [ -z "$DEB" ]; then
  if [ "$(id -u)" != 0 ] && ! command -v fakeroot >/dev/null 2>&1; then
    skip "no fakeroot (Debian package fakeroot) and not root to install it: cannot build a .deb"
    exit 0
  fi
  start=$(date +%s)
  "$ROOT/tilescope" package --no-aot >"$HERE/target-test-install.log" 2>&1 || {
    tail -n 40 "$HERE/target-test-install.log"
    echo "install-test: FAIL ./tilescope package --no-aot (log above)"
    echo "install-test: 0 passed, 1 failed"
    exit 1
  }
  echo "install-test: built the .deb in $(($(date +%s) - start)) s"
  rm -f "$HERE/target-test-install.log"
  DEB=$(ls -t "$HERE"/target/tilescope_*.deb | head -n 1)
fi
[ -f "$DEB" ] || { echo "install-test: FAIL no .deb at '$DEB'"; exit 1; }

# ---- metadata --------------------------------------------------------------------------------
INFO=$(dpkg-deb --info "$DEB")
field() { printf '%s\n' "$INFO" | sed -n "s/^ $1: //p"; }
POM_VERSION=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)
[ "$(field Package)" = tilescope ] && ok "Package: tilescope" || bad "Package is '$(field Package)'"
[ "$(field Version)" = "${POM_VERSION%%-*}" ] && ok "Version: $(field Version) (pom $POM_VERSION)" \
  || bad "Version '$(field Version)', pom says $POM_VERSION"
DEPENDS=$(field Depends)
# The runtime and libturbojpeg travel inside; only system libraries the JVM's AWT needs may be
# asked for (jpackage lists what its native files link against).
if printf '%s' "$DEPENDS" | grep -Eq 'jre|jdk|java|libturbojpeg'; then
  bad "Depends asks for a Java or libturbojpeg the package carries itself: $DEPENDS"
else
  ok "Depends: $DEPENDS"
fi
SIZE_MB=$(( $(stat -c %s "$DEB") / 1048576 ))
echo "install-test: .deb is $SIZE_MB MB, installed size $(( $(field Installed-Size) / 1024 )) MB"

# ---- install into a throwaway root -----------------------------------------------------------
FAKE_ROOT=$(mktemp -d /tmp/tilescope-install.XXXXXX)
trap 'rm -rf "$FAKE_ROOT"' EXIT
dpkg -x "$DEB" "$FAKE_ROOT"
APP="$FAKE_ROOT/opt/tilescope"
LAUNCHER="$APP/bin/Tilescope"
[ -x "$LAUNCHER" ] && ok "launcher installed at /opt/tilescope/bin/Tilescope" || bad "no launcher in $APP/bin"
DESKTOP=$(ls "$APP"/lib/*.desktop 2>/dev/null | head -n 1)
if [ -n "$DESKTOP" ] && grep -q '^Exec=/opt/tilescope/bin/Tilescope %f$' "$DESKTOP" \
    && grep -q '^MimeType=.*application/x-deepzoom+xml.*image/tiff' "$DESKTOP"; then
  ok ".desktop entry opens files (Exec %f) of the slide types"
else
  bad ".desktop entry missing or without %f / MimeType: $(cat "$DESKTOP" 2>/dev/null)"
fi

# No JDK in reach: nothing on PATH, JAVA_HOME unset. Settings and cache in the throwaway root.
run() {
  env -u JAVA_HOME -u JAVA_TOOL_OPTIONS -u JDK_JAVA_OPTIONS PATH=/usr/bin:/bin \
    TILESCOPE_CONFIG="$FAKE_ROOT/home/settings" TILESCOPE_CACHE="$FAKE_ROOT/home/cache" \
    TILESCOPE_DATA="$FAKE_ROOT/home/data" "$@"
}

DOCTOR=$(run "$LAUNCHER" doctor --json 2>"$FAKE_ROOT/doctor.err") || true
EXPECTED_LIB="$APP/lib/app/native/libturbojpeg.so.0"
if printf '%s' "$DOCTOR" | grep -q "\"decoderLibrary\" : \"$EXPECTED_LIB\""; then
  ok "doctor: decoder library loaded from the image ($EXPECTED_LIB)"
else
  bad "doctor does not name the bundled library $EXPECTED_LIB: $DOCTOR $(cat "$FAKE_ROOT/doctor.err")"
fi
if printf '%s' "$DOCTOR" | grep -q "\"version\" : \"$POM_VERSION\""; then
  ok "doctor: version $POM_VERSION"
else
  bad "doctor does not report version $POM_VERSION: $DOCTOR"
fi
if printf '%s' "$DOCTOR" | head -c 1 | grep -q '{'; then
  ok "doctor --json: stdout is JSON only"
else
  bad "doctor --json stdout does not start with JSON: $(printf '%s' "$DOCTOR" | head -n 3)"
fi

# The AOT cache, when the .deb has one, must be taken by the installed copy (a cache the JVM
# refuses costs nothing but a stderr line, so only the class loading log tells).
if [ -f "$APP/lib/app/tilescope.aot" ]; then
  echo 'java-options=-Xlog:class+load=info:stdout' >>"$APP/lib/app/Tilescope.cfg"
  from_cache=$(run "$LAUNCHER" --version 2>&1 | grep -c 'source: shared objects file' || true)
  sed -i '/Xlog:class+load/d' "$APP/lib/app/Tilescope.cfg"
  if [ "$from_cache" -gt 1000 ]; then
    ok "AOT cache used by the installed copy ($from_cache classes from it)"
  else
    bad "AOT cache not used by the installed copy ($from_cache classes from it)"
  fi
else
  skip "no AOT cache in this .deb (built with --no-aot)"
fi

SLIDE="$CORPUS/tiff/C24-0350_prostate_HE.tif"
DZI="$CORPUS/library/C24-0203_breast_HE.dzi"
if [ -f "$SLIDE" ] && [ -f "$DZI" ]; then
  if out=$(run "$LAUNCHER" info "$SLIDE" 2>&1) && printf '%s' "$out" | grep -qi 'level'; then
    ok "info on a corpus TIFF"
  else
    bad "info $SLIDE: $out"
  fi
  if command -v xvfb-run >/dev/null 2>&1; then
    if out=$(run timeout 300 xvfb-run -a -s "-screen 0 1920x1080x24" \
        env JAVA_TOOL_OPTIONS=-Dtilescope.exitWhenSharp=true "$LAUNCHER" "$DZI" 2>&1) \
        && printf '%s' "$out" | grep -q 'first sharp frame'; then
      ok "window start under Xvfb: $(printf '%s' "$out" | grep -o 'first sharp frame.*')"
    else
      bad "window start under Xvfb did not reach a sharp frame: $out"
    fi
  else
    skip "no xvfb-run: window start not tried"
  fi
else
  skip "no corpus at $CORPUS: info and window start not tried"
fi

echo "install-test: $passed passed, $failed failed"
[ "$failed" = 0 ]
