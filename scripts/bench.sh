#!/usr/bin/env bash
# bench.sh - JMH benchmark of kobj's ELF parser against jelf 0.12.0 on real kernel modules.
#
# Usage: scripts/bench.sh [--all] [JMH options...]
#
#   --all          parse every .ko of the corpus instead of the sample (every 50th .ko
#                  of each architecture, sorted by path); takes longer and needs more heap
#   JMH options    replace the default "-f 1 -wi 3 -i 5 -w 2s -r 3s -prof gc ParseBenchmark";
#                  name the benchmarks by regex (without one, JMH runs every benchmark of
#                  the jar), e.g.
#                  scripts/bench.sh -f 1 -wi 1 -i 1 -r 1s -prof gc 'ParseBenchmark.kobj.*'
#
# Builds kobj-bench/target/kobj-bench.jar when it is missing or older than the sources of
# kobj-bench and of the kobj modules it depends on, runs dev.kobj.bench.ParseBenchmark on JDK 25 (about 6 minutes on 2 cores with the default
# settings), writes JMH's JSON to kobj-bench/target/jmh-result.json and prints a summary
# table (also written to kobj-bench/target/bench-summary.md).
#
# Environment:
#   KOBJ_CORPUS        corpus directory (default: <repo>/corpus, see scripts/fetch-corpus.sh)
#   KOBJ_BENCH_JAVA    java launcher of a JDK 25+ (default: /usr/lib/jvm/temurin-25-jdk-amd64/bin/java,
#                      else $JAVA_HOME/bin/java, else java on the PATH)
#   KOBJ_BENCH_EVERY   the sample's stride (default 50)
set -euo pipefail

# Everything is in main, so that bash has read the whole script before running it.
main() {
    log() { printf '[bench] %s\n' "$*" >&2; }
    die() { log "ERROR: $*"; exit 1; }

    REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    cd "$REPO_ROOT"
    JAR=kobj-bench/target/kobj-bench.jar
    RESULT=kobj-bench/target/jmh-result.json
    SUMMARY=kobj-bench/target/bench-summary.md
    CORPUS=${KOBJ_CORPUS:-$REPO_ROOT/corpus}
    EVERY=${KOBJ_BENCH_EVERY:-50}

    SET=sample
    JMH_ARGS=()
    for arg in "$@"; do
        case "$arg" in
            --all) SET=all ;;
            -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
            *) JMH_ARGS+=("$arg") ;;
        esac
    done
    if [ ${#JMH_ARGS[@]} -eq 0 ]; then
        JMH_ARGS=(-f 1 -wi 3 -i 5 -w 2s -r 3s -prof gc ParseBenchmark)
    fi

    # ---------------------------------------------------------------- java 25
    JAVA=${KOBJ_BENCH_JAVA:-}
    if [ -z "$JAVA" ]; then
        for candidate in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)"; do
            if [ -n "$candidate" ] && [ -x "$candidate" ]; then JAVA=$candidate; break; fi
        done
    fi
    [ -n "$JAVA" ] && [ -x "$JAVA" ] || die "no java launcher found; set KOBJ_BENCH_JAVA to a JDK 25 bin/java"
    JAVA_FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
    [ "${JAVA_FEATURE:-0}" -ge 25 ] 2>/dev/null || die "$JAVA is Java ${JAVA_FEATURE:-?}; the benchmark needs Java 25+ (set KOBJ_BENCH_JAVA)"

    # ---------------------------------------------------------------- corpus
    if ! find "$CORPUS" -path '*/lib/modules/*' -name '*.ko' -print -quit 2>/dev/null | grep -q .; then
        die "no kernel modules under $CORPUS/<arch>/lib/modules: run scripts/fetch-corpus.sh first (about 700 MB)"
    fi

    # ---------------------------------------------------------------- build
    # kobj-bench and the kobj modules it depends on (their directories are named as their artifacts)
    SOURCES=(pom.xml kobj-bench)
    for module in $(awk '/<groupId>dev.kobj<\/groupId>/ { getline; if (match($0, /<artifactId>[^<]*</)) print substr($0, RSTART + 12, RLENGTH - 13) }' \
            kobj-bench/pom.xml); do
        [ -d "$module" ] && SOURCES+=("$module/src" "$module/pom.xml")
    done
    if [ ! -f "$JAR" ] || [ -n "$(find "${SOURCES[@]}" -path kobj-bench/target -prune -o -newer "$JAR" -print -quit 2>/dev/null)" ]; then
        log "building $JAR"
        ./mvnw -B -q -DskipTests -pl kobj-bench -am package
    fi
    [ -f "$JAR" ] || die "$JAR was not built"

    # ---------------------------------------------------------------- run
    HEAP=2g
    [ "$SET" = all ] && HEAP=6g
    log "java:   $JAVA (Java $JAVA_FEATURE)"
    log "corpus: $CORPUS (set=$SET)"
    log "cpu:    $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    log "jmh:    ${JMH_ARGS[*]}"
    mkdir -p "$(dirname "$RESULT")"
    # The forked JVMs inherit this JVM's options; -jvmArgsAppend replaces the @Fork annotation's.
    "$JAVA" --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
        -Dkobj.corpus="$CORPUS" -Dkobj.bench.every="$EVERY" \
        -cp "$JAR" dev.kobj.bench.BenchMain \
        -p set="$SET" \
        -jvmArgsAppend "-Xms$HEAP -Xmx$HEAP" \
        -rf json -rff "$RESULT" \
        "${JMH_ARGS[@]}" | tee "$SUMMARY.log"
    # The summary is everything BenchMain printed after JMH's own output.
    sed -n '/^Summary: /,$p' "$SUMMARY.log" >"$SUMMARY"
    rm -f "$SUMMARY.log"
    log "JMH results: $RESULT; summary: $SUMMARY"
}

main "$@"
