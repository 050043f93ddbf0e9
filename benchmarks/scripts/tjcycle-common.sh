# Sourced by the decode scripts that run tjcycle (decode-vs-tjcycle.sh, decode-scaling.sh): moves
# to the project root, checks the inputs, builds tjcycle into a temporary $work (removed on exit)
# and sets java, jar, corpus, big, work and jvm (the benchmark JVM's command line).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="benchmarks/target/benchmarks.jar"
corpus="${TILESCOPE_CORPUS:-../shared/corpus}"
big="${TILESCOPE_BIG:-/tmp/tilescope-big}"

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
