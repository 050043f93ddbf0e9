#!/usr/bin/env bash
# Remote slides (benchmarks/README.md, "Remote slides"): time to a sharp 1920x1080 viewport at
# 1:1 over loopback HTTP against the local file, same run. Starts lighttpd on 127.0.0.1 (static
# Deep Zoom from the corpus library) with iipsrv behind it (FastCGI: the corpus TIFF over IIIF
# and Deep Zoom), runs RemoteViewportBench, stops the servers.
# Needs the Debian packages lighttpd and iipimage-server, the benchmarks jar
# (./mvnw -pl benchmarks -am package -DskipTests), JDK 25 in JAVA_HOME and the corpus.
# REMOTE_ROUNDS (default 15) sets the rounds.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
corpus="$(cd "${TILESCOPE_CORPUS:-$root/../shared/corpus}" && pwd)"
java="${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java"
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || ./mvnw -q -B -pl benchmarks -am package -DskipTests
for f in /usr/sbin/lighttpd /usr/lib/iipimage-server/iipsrv.fcgi; do
  [ -x "$f" ] || { echo "remote-bench: $f missing (apt-get install -y lighttpd iipimage-server)" >&2; exit 1; }
done

tmp="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat > "$tmp/lighttpd.conf" <<CONF
server.document-root = "$corpus/library"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "$tmp/error.log"
server.modules = ("mod_fastcgi")
mimetype.assign = (".dzi" => "application/xml", ".jpg" => "image/jpeg", ".jpeg" => "image/jpeg", ".png" => "image/png", ".xml" => "application/xml")
fastcgi.server = ( "/fcgi-bin/iipsrv.fcgi" => (( "socket" => "$tmp/iipsrv.sock", "check-local" => "disable",
  "min-procs" => 1, "max-procs" => 1, "bin-path" => "/usr/lib/iipimage-server/iipsrv.fcgi",
  "bin-environment" => ( "LOGFILE" => "$tmp/iipsrv.log", "VERBOSITY" => "0",
    "FILESYSTEM_PREFIX" => "$corpus/tiff/", "MAX_CVT" => "8000" ) )) )
CONF
/usr/sbin/lighttpd -D -f "$tmp/lighttpd.conf" > "$tmp/lighttpd.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
  sleep 0.1
done

base="http://127.0.0.1:$port"
"$java" --enable-native-access=ALL-UNNAMED -Xmx2g -Dremote.rounds="${REMOTE_ROUNDS:-15}" \
  -cp "$jar" org.tilescope.benchmarks.RemoteViewportBench \
  "dzi-file=$corpus/library/C24-0112_liver_HE.dzi" \
  "dzi-http-static=$base/C24-0112_liver_HE.dzi" \
  "tiff-file=$corpus/tiff/C24-0350_prostate_HE.tif" \
  "tiff-iipsrv-iiif=$base/fcgi-bin/iipsrv.fcgi?IIIF=/C24-0350_prostate_HE.tif/info.json" \
  "tiff-iipsrv-deepzoom=$base/fcgi-bin/iipsrv.fcgi?DeepZoom=/C24-0350_prostate_HE.tif.dzi"
