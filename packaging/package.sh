#!/usr/bin/env bash
# Builds Tilescope's installers into packaging/target/. Run it as `./tilescope package`, which
# finds JDK 25, builds app/target/tilescope.jar when it is stale, and calls this script.
#
#   ./tilescope package [--no-aot] [--image-only]
#
# On Linux: a trimmed runtime (jlink, modules from jdeps), an app-image with libturbojpeg and an
# AOT cache inside, and a .deb. On Windows (Git Bash) and macOS the same steps end in an .msi or a
# .dmg instead; those two recipes are written out below but have never been run (this project is
# built on Linux and jpackage cannot cross-build).
#
#   --no-aot      skip the AOT training run (needs a display or xvfb-run, and the demo slide,
#                 which the first training run builds in the user's cache: about a minute)
#   --image-only  stop after the app-image (no installer)
#
# What it needs besides the JDK: rsvg-convert (Debian librsvg2-bin) or ImageMagick for the icons;
# for the .deb, fakeroot and dpkg-deb; for AOT training, xvfb-run (Debian xvfb) or a display; and
# libturbojpeg0 to bundle. As root on Debian, missing packages are installed with apt-get.
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(dirname "$HERE")"
TARGET="$HERE/target"
JAR="$ROOT/app/target/tilescope.jar"
NAME=Tilescope            # the app's name: window, menus, app-image folder, launcher
PACKAGE=tilescope         # the package's name: /opt/tilescope, `apt remove tilescope`
MAIN_CLASS=org.tilescope.app.Main
VENDOR="Tilescope"
DESCRIPTION="Viewer for gigapixel slides: Deep Zoom, FastPATH, pyramidal TIFF and Aperio SVS"
ICON_SIZES="16 24 32 48 64 128 256 512"
# The heap may take half the RAM (the JVM's default is a quarter; tiles are what fills it). Plain
# 64-bit object pointers, always: with compressed ones the JVM turns them off by itself on a
# machine whose half RAM is over 32 GB, and then refuses an AOT cache recorded with them on. The
# heap is mostly tile pixel arrays, which pointer size does not touch.
HEAP_OPTIONS=(-XX:MaxRAMPercentage=50 -XX:-UseCompressedOops)

AOT=1
INSTALLER=1
for arg in "$@"; do
  case "$arg" in
    --no-aot) AOT=0 ;;
    --image-only) INSTALLER=0 ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf 'package: %s\n' "$*" >&2; }
die() { printf 'package: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jpackage" ] \
  || die "JAVA_HOME must be a JDK 25 with jpackage (run this through ./tilescope package)"
J="$JAVA_HOME/bin"
[ -f "$JAR" ] || die "$JAR is missing; build it with ./tilescope package (or ./mvnw -pl app -am package)"

case "$(uname -s)" in
  Linux) OS=linux ;;
  Darwin) OS=mac ;;
  MINGW*|MSYS*|CYGWIN*) OS=windows ;;
  *) die "unsupported system $(uname -s)" ;;
esac

# Debian packages this script can install for itself when run as root.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "missing Debian packages: ${missing[*]} (not root, not installing them)"
    return 1
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
}

# The version from the parent pom: 0.1.0-SNAPSHOT is packaged as 0.1.0 (installers want numbers).
POM_VERSION=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)
VERSION=${POM_VERSION%%-*}
[[ "$VERSION" =~ ^[0-9]+(\.[0-9]+){0,2}$ ]] || die "cannot make an installer version from the pom's '$POM_VERSION'"

START=$(now)
mkdir -p "$TARGET"
TIMES="$TARGET/build-times.txt"
: >"$TIMES"
step_done() { printf '%-10s %6s s\n' "$1" "$(elapsed "$2")" | tee -a "$TIMES" >&2; }

# ---- 1. runtime: the modules jdeps finds in the shaded jar, nothing else --------------------
t=$(now)
# jdk.incubator.vector is dropped: Lucene uses it only when asked to with --add-modules, and
# resolving it prints an incubator warning on every start.
MODULES=$("$J/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 -q "$JAR" \
  | tr ',' '\n' | grep -v '^jdk\.incubator\.' | paste -sd, -)
[ -n "$MODULES" ] || die "jdeps found no modules in $JAR"
log "modules: $MODULES"
RUNTIME="$TARGET/runtime"
# No --compress: the .deb's xz packs the plain module image to ~12 MB, a zip-6 one only to
# ~25 MB (xz cannot squeeze deflated data), so the download is smaller this way, the installed
# image larger (~58 MB instead of ~25). bin/java stays: AOT training runs it.
JLINK_OPTIONS=(--strip-debug --no-header-files --no-man-pages)
# jlink takes a minute: the runtime is kept while the modules, options and JDK are the same.
STAMP="$MODULES ${JLINK_OPTIONS[*]} $("$J/java" -version 2>&1 | head -n 1)"
if [ -f "$RUNTIME/release" ] && [ "$(cat "$TARGET/runtime.stamp" 2>/dev/null)" = "$STAMP" ]; then
  log "runtime: up to date"
else
  rm -rf "$RUNTIME" "$TARGET/runtime.stamp"
  "$J/jlink" --add-modules "$MODULES" "${JLINK_OPTIONS[@]}" --output "$RUNTIME"
  echo "$STAMP" >"$TARGET/runtime.stamp"
fi
step_done runtime "$t"

# ---- 2. icons: every size from the one SVG ---------------------------------------------------
t=$(now)
ICONS="$TARGET/icons"
SVG="$HERE/tilescope.svg"
rm -rf "$ICONS"
mkdir -p "$ICONS"
if ! command -v rsvg-convert >/dev/null 2>&1 && [ "$OS" = linux ]; then
  apt_install librsvg2-bin || true
fi
for size in $ICON_SIZES; do
  out="$ICONS/tilescope-$size.png"
  if command -v rsvg-convert >/dev/null 2>&1; then
    rsvg-convert -w "$size" -h "$size" "$SVG" -o "$out"
  elif command -v magick >/dev/null 2>&1; then
    magick -background none -density 300 "$SVG" -resize "${size}x${size}" "$out"
  else
    die "no SVG converter: install rsvg-convert (Debian: librsvg2-bin; macOS: brew install librsvg)"
  fi
done
ICON_PNG="$ICONS/tilescope-256.png"
step_done icons "$t"

# ---- 3. the app folder: the jar and the native JPEG library ---------------------------------
t=$(now)
INPUT="$TARGET/input"
rm -rf "$INPUT"
mkdir -p "$INPUT/native"
cp "$JAR" "$INPUT/"
case "$OS" in
  linux)
    TURBO_NAME=libturbojpeg.so.0
    apt_install libturbojpeg0 || true
    TURBO_FILE=$(ls /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0 /usr/lib64/libturbojpeg.so.0 /usr/lib/libturbojpeg.so.0 2>/dev/null | head -n 1 || true)
    TURBO_COPYRIGHT=/usr/share/doc/libturbojpeg0/copyright
    ;;
  mac)
    TURBO_NAME=libturbojpeg.0.dylib
    TURBO_FILE=$(ls /opt/homebrew/opt/jpeg-turbo/lib/libturbojpeg.0.dylib /usr/local/opt/jpeg-turbo/lib/libturbojpeg.0.dylib 2>/dev/null | head -n 1 || true)
    TURBO_COPYRIGHT=$(ls /opt/homebrew/opt/jpeg-turbo/LICENSE.md /usr/local/opt/jpeg-turbo/LICENSE.md 2>/dev/null | head -n 1 || true)
    ;;
  windows)
    # The engine's TurboJPEG binding needs a 64-bit C 'long', which Windows does not have, so it
    # decodes with ImageIO there: no DLL to bundle (see README, Installers).
    TURBO_NAME=""
    TURBO_FILE=""
    ;;
esac
TURBO_OPTION=()
if [ -n "$TURBO_FILE" ]; then
  cp -L "$TURBO_FILE" "$INPUT/native/$TURBO_NAME"
  [ -n "${TURBO_COPYRIGHT:-}" ] && [ -f "$TURBO_COPYRIGHT" ] && cp "$TURBO_COPYRIGHT" "$INPUT/native/libjpeg-turbo.copyright"
  # $APPDIR is the jpackage launcher's app folder; the decoder tries this file before the system's.
  TURBO_OPTION=("-Dtilescope.turbojpeg.path=\$APPDIR/native/$TURBO_NAME")
  log "bundled $(readlink -f "$TURBO_FILE")"
elif [ -n "$TURBO_NAME" ]; then
  log "libturbojpeg not found: the package decodes JPEG with ImageIO unless the system has it"
fi
step_done app "$t"

# ---- 4. app-image ----------------------------------------------------------------------------
t=$(now)
IMAGE_DIR="$TARGET/image"
rm -rf "$IMAGE_DIR"
JAVA_OPTIONS=(
  --enable-native-access=ALL-UNNAMED
  "${HEAP_OPTIONS[@]}"
  # JVM warnings (an AOT cache it cannot use, say) on stderr, so `tilescope info --json` stays JSON
  -Xlog:disable -Xlog:all=warning:stderr
  "${TURBO_OPTION[@]}"
)
JP_OPTIONS=()
for o in "${JAVA_OPTIONS[@]}"; do JP_OPTIONS+=(--java-options "$o"); done
case "$OS" in
  linux) PLATFORM_ICON="$ICON_PNG" ;;
  windows)
    PLATFORM_ICON="$ICONS/tilescope.ico"
    # One .ico with every size, made with ImageMagick when it is there.
    if command -v magick >/dev/null 2>&1; then
      magick "$ICONS"/tilescope-{16,24,32,48,64,128,256}.png "$PLATFORM_ICON"
    else
      PLATFORM_ICON=""
    fi
    ;;
  mac)
    PLATFORM_ICON="$ICONS/tilescope.icns"
    set=$ICONS/tilescope.iconset
    mkdir -p "$set"
    for s in 16 32 128 256 512; do
      cp "$ICONS/tilescope-$s.png" "$set/icon_${s}x${s}.png"
      [ $s -lt 512 ] && cp "$ICONS/tilescope-$((s * 2)).png" "$set/icon_${s}x${s}@2x.png"
    done
    rsvg-convert -w 1024 -h 1024 "$SVG" -o "$set/icon_512x512@2x.png"
    iconutil -c icns "$set" -o "$PLATFORM_ICON"
    ;;
esac
ICON_OPTION=()
[ -n "$PLATFORM_ICON" ] && ICON_OPTION=(--icon "$PLATFORM_ICON")
"$J/jpackage" --type app-image --name "$NAME" --app-version "$VERSION" --vendor "$VENDOR" \
  --description "$DESCRIPTION" --input "$INPUT" --main-jar tilescope.jar --main-class "$MAIN_CLASS" \
  --runtime-image "$RUNTIME" "${ICON_OPTION[@]}" "${JP_OPTIONS[@]}" --dest "$IMAGE_DIR"
case "$OS" in
  mac) APP_ROOT="$IMAGE_DIR/$NAME.app"; APP_DIR="$APP_ROOT/Contents/app"; LAUNCHER="$APP_ROOT/Contents/MacOS/$NAME" ;;
  windows) APP_ROOT="$IMAGE_DIR/$NAME"; APP_DIR="$APP_ROOT/app"; LAUNCHER="$APP_ROOT/$NAME.exe" ;;
  *) APP_ROOT="$IMAGE_DIR/$NAME"; APP_DIR="$APP_ROOT/lib/app"; LAUNCHER="$APP_ROOT/bin/$NAME" ;;
esac
step_done image "$t"

# ---- 5. AOT cache from a training run that opens the demo slide ------------------------------
# The launcher itself runs it, so the cache is made by the image's own runtime with the image's
# own class path and options, as a user's start will be. JAVA_TOOL_OPTIONS reaches the JVM that
# any launcher starts. The first run builds the demo slide if the user's cache has none (not
# recorded); the second, recorded, opens it, waits for the first sharp frame and exits.
if [ "$AOT" = 1 ]; then
  t=$(now)
  DISPLAY_RUN=()
  if command -v xvfb-run >/dev/null 2>&1; then
    DISPLAY_RUN=(xvfb-run -a -s "-screen 0 1920x1080x24")
  elif [ -z "${DISPLAY:-}" ] && [ "$OS" = linux ]; then
    apt_install xvfb xauth && DISPLAY_RUN=(xvfb-run -a -s "-screen 0 1920x1080x24") || true
  fi
  if [ ${#DISPLAY_RUN[@]} -eq 0 ] && [ -z "${DISPLAY:-}" ] && [ "$OS" = linux ]; then
    log "no display and no xvfb-run: no AOT cache (start-up is slower; see --no-aot)"
  else
    TRAIN="$TARGET/aot-training"
    rm -rf "$TRAIN"
    mkdir -p "$TRAIN/settings"
    CACHE_FILE="$APP_DIR/tilescope.aot"
    train() {
      # A fresh settings folder: no recent slides, so the demo opens, as on a first start.
      TILESCOPE_CONFIG="$TRAIN/settings" timeout 900 "${DISPLAY_RUN[@]}" env JAVA_TOOL_OPTIONS="$1" "$LAUNCHER"
    }
    log "AOT training 1/2: demo slide (built on first use) and warm file cache"
    train "-Dtilescope.exitWhenSharp=true" >"$TRAIN/warmup.log" 2>&1 \
      || die "AOT warm-up run failed; see $TRAIN/warmup.log"
    log "AOT training 2/2: recording"
    train "-Dtilescope.exitWhenSharp=true -XX:AOTCacheOutput=$CACHE_FILE" >"$TRAIN/record.log" 2>&1 \
      || die "AOT training run failed; see $TRAIN/record.log"
    [ -s "$CACHE_FILE" ] || die "no AOT cache written; see $TRAIN/record.log"
    grep -h "first sharp frame" "$TRAIN"/*.log >&2 || true
    # The launcher's options now name the cache; $APPDIR keeps the image relocatable.
    cfg="$APP_DIR/$NAME.cfg"
    grep -q '^\[JavaOptions\]' "$cfg" || die "$cfg has no [JavaOptions] section"
    awk '{ print } /^\[JavaOptions\]/ { print "java-options=-XX:AOTCache=$APPDIR/tilescope.aot" }' "$cfg" >"$cfg.new"
    mv "$cfg.new" "$cfg"
    log "AOT cache: $(du -h "$CACHE_FILE" | cut -f1)"
  fi
  step_done aot "$t"
fi
log "app-image: $APP_ROOT ($(du -sh "$APP_ROOT" | cut -f1))"

[ "$INSTALLER" = 1 ] || { step_done total "$START"; exit 0; }

# ---- 6. installer ----------------------------------------------------------------------------
t=$(now)
FA_OPTIONS=()
for fa in dzi svs tiff; do FA_OPTIONS+=(--file-associations "$HERE/associations/$fa.properties"); done
case "$OS" in
  linux)
    # image/tiff is the system's own type: the .desktop entry (packaging/linux/Tilescope.desktop)
    # lists it, which is all "Open With" needs; declaring it again would redefine it.
    FA_OPTIONS=(--file-associations "$HERE/associations/dzi.properties"
      --file-associations "$HERE/associations/svs.properties")
    apt_install fakeroot || true
    command -v fakeroot >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 \
      || die "a .deb needs fakeroot and dpkg-deb (Debian: apt-get install fakeroot)"
    "$J/jpackage" --type deb --app-image "$APP_ROOT" --name "$NAME" --app-version "$VERSION" \
      --vendor "$VENDOR" --description "$DESCRIPTION" "${ICON_OPTION[@]}" "${FA_OPTIONS[@]}" \
      --linux-package-name "$PACKAGE" --linux-deb-maintainer "tilescope@users.noreply.github.com" \
      --linux-app-category graphics \
      --linux-shortcut --resource-dir "$HERE/linux" --dest "$TARGET"
    ;;
  windows)
    # Needs the WiX Toolset (3, or 4/5 with JDK 24+) on PATH. The upgrade UUID must never
    # change: it is how Windows knows a newer .msi replaces this one.
    "$J/jpackage" --type msi --app-image "$APP_ROOT" --name "$NAME" --app-version "$VERSION" \
      --vendor "$VENDOR" --description "$DESCRIPTION" "${ICON_OPTION[@]}" "${FA_OPTIONS[@]}" \
      --win-menu --win-menu-group "$NAME" --win-shortcut --win-dir-chooser --win-per-user-install \
      --win-upgrade-uuid 6f1c5a3e-2b7d-4c1a-9e55-7d7c0b9a3f21 --dest "$TARGET"
    ;;
  mac)
    # Unsigned: add --mac-sign --mac-signing-key-user-name "Developer ID Application: ..." to
    # sign (and notarize the .dmg with xcrun notarytool) for Gatekeeper.
    "$J/jpackage" --type dmg --app-image "$APP_ROOT" --name "$NAME" --app-version "$VERSION" \
      --vendor "$VENDOR" --description "$DESCRIPTION" "${ICON_OPTION[@]}" "${FA_OPTIONS[@]}" \
      --file-associations "$HERE/associations/macos-fastpath.properties" \
      --mac-package-identifier org.tilescope.Tilescope --mac-package-name "$NAME" \
      --mac-app-category public.app-category.medical --dest "$TARGET"
    ;;
esac
step_done installer "$t"
step_done total "$START"
for f in "$TARGET"/*.deb "$TARGET"/*.msi "$TARGET"/*.dmg; do
  [ -f "$f" ] && log "installer: $f ($(du -h "$f" | cut -f1))"
done
exit 0
