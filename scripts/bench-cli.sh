#!/usr/bin/env bash
# bench-cli.sh - whole-process timings of kobjdump beside the native tools that do the same job.
#
# Usage: scripts/bench-cli.sh [-n RUNS] [ARCH...]     (ARCH: amd64, arm64, riscv64; default all three)
#
# Each command runs RUNS times (default 5), interleaved with its peer so that both see the
# same load; the script prints the median wall time (to 0.1 ms), the median CPU time (user+sys,
# in 10 ms steps), the peak RSS and the ratio kobj/peer of the wall medians, as a Markdown table (also written to
# kobj-bench/target/bench-cli.md). What is compared:
#   start-up     ./kobjdump sections M          vs  readelf -SW M, and a bare `java Hello`
#                (M: a small module of the tree, drivers/net/dummy.ko)
#   check        ./kobjdump check --kernel Module.symvers TREE  vs  depmod -n -e -E Module.symvers
#   depmod       ./kobjdump depmod -o /dev/null TREE            vs  depmod -n
#   stats        ./kobjdump stats TREE (relocations/s of the whole process)
#   GNU ld       one module, ld -r of the module (the cost of one GNU link), for scale
# Needs the corpus (scripts/fetch-corpus.sh), kmod's depmod, binutils, and a built jar (the
# launcher builds it when missing). Numbers, not assertions: nothing here fails on a figure.
set -euo pipefail

main() {
    local here runs=5 archs=()
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    while [ $# -gt 0 ]; do
        case "$1" in
            -n) runs=$2; shift 2 ;;
            -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
            *) archs+=("$1"); shift ;;
        esac
    done
    [ ${#archs[@]} -gt 0 ] || archs=(amd64 arm64 riscv64)
    cd "$here"
    local corpus=${KOBJ_CORPUS:-$here/corpus} out=kobj-bench/target/bench-cli.md
    tmp=$(mktemp -d)
    trap 'rm -rf "${tmp:-}"' EXIT
    mkdir -p kobj-bench/target
    ./kobjdump --version >/dev/null # builds the jar and the launcher's state when needed

    # A bare Java program on the JDK the launcher chose: the floor of any JVM command.
    local java
    java=$(sed -n 's/^k_java=//p' kobjdump-cli/target/.kobjdump-launch)
    printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$tmp/Hello.java"
    "$(dirname "$java")/javac" -d "$tmp" "$tmp/Hello.java"

    # measure LABEL CMD...: one run; appends "wall cpu rss" (s, s, KiB) to $tmp/LABEL
    measure() {
        local label=$1; shift
        # Wall time from bash's microsecond clock (time's %e has 10 ms steps, too coarse for the
        # start-up of a 30 ms program); CPU and peak RSS from time, whose line is the last one
        # (it writes "Command exited with non-zero status N" before its figures).
        local t0=$EPOCHREALTIME t1
        /usr/bin/time -o "$tmp/t" -f '%U %S %M' "$@" >"$tmp/out" 2>"$tmp/err" || true
        t1=$EPOCHREALTIME
        tail -n 1 "$tmp/t" | awk -v a="$t0" -v b="$t1" '{ printf "%.4f %.3f %s\n", b - a, $1 + $2, $3 }' >>"$tmp/$label"
    }
    median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print 0 }'; }
    col() { awk -v c="$1" '{ print $c }' "$tmp/$2" | median; }
    row() { # row WHAT LABEL PEER-LABEL
        local w c r pw ratio=""
        w=$(col 1 "$2"); c=$(col 2 "$2"); r=$(col 3 "$2")
        if [ -n "${3:-}" ]; then
            pw=$(col 1 "$3")
            ratio=$(awk -v a="$w" -v b="$pw" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')
        fi
        printf '| %s | %s s | %s s | %d MiB | %s |\n' "$1" "$w" "$c" "$((r / 1024))" "$ratio"
    }

    {
        echo "bench-cli.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg), $("$java" -version 2>&1 | sed -n 2p), median of $runs"
        echo
        echo "| command | wall | cpu | peak RSS | kobj / peer |"
        echo "|:--|--:|--:|--:|--:|"
    } | tee "$out"
    local a tree symvers small rel
    for a in "${archs[@]}"; do
        tree=$(echo "$corpus/$a"/lib/modules/*)
        symvers="$corpus/$a/Module.symvers"
        [ -d "$tree/kernel" ] || { echo "bench-cli: no $a tree under $corpus (scripts/fetch-corpus.sh)" >&2; continue; }
        small=$(find "$tree/kernel" -name 'dummy.ko*' | head -n 1)
        case "$small" in # readelf and ld read plain ELF only: every tool gets the same plain file
            *.xz) xz -dc "$small" >"$tmp/dummy-$a.ko"; small=$tmp/dummy-$a.ko ;;
            *.zst) zstd -qdc "$small" >"$tmp/dummy-$a.ko"; small=$tmp/dummy-$a.ko ;;
            *.gz) gzip -dc "$small" >"$tmp/dummy-$a.ko"; small=$tmp/dummy-$a.ko ;;
        esac
        local readelf=readelf ld=ld
        [ "$a" = arm64 ] && readelf=aarch64-linux-gnu-readelf && ld=aarch64-linux-gnu-ld
        [ "$a" = riscv64 ] && readelf=riscv64-linux-gnu-readelf && ld=riscv64-linux-gnu-ld
        for ((i = 0; i < runs; i++)); do
            measure "hello" "$java" -cp "$tmp" Hello
            measure "sections-$a" ./kobjdump sections "$small"
            measure "readelf-$a" "$readelf" -SW "$small"
            measure "ldr-$a" "$ld" -r -o "$tmp/ld.o" "$small"
            measure "check-$a" ./kobjdump check --kernel "$symvers" "$tree/kernel"
            measure "depmodsym-$a" depmod -n -b "$corpus/$a" -e -E "$symvers" "$(basename "$tree")"
            measure "depmod-$a" ./kobjdump depmod -o /dev/null "$tree"
            measure "depmodn-$a" depmod -n -b "$corpus/$a" "$(basename "$tree")"
            measure "stats-$a" ./kobjdump stats "$tree"
        done
        # (check exits 1 when a module is refused or does not fit the heap: its count is still printed)
        rel=$({ ./kobjdump check --kernel "$symvers" "$tree/kernel" || true; } | sed -n 's/^Relocations: *\([0-9]*\) applied/\1/p')
        {
            row "bare \`java Hello\`" hello
            row "$a \`kobjdump sections $(basename "$small")\` (vs java Hello)" "sections-$a" hello
            row "$a \`$readelf -SW $(basename "$small")\`" "readelf-$a"
            row "$a \`$ld -r $(basename "$small")\`" "ldr-$a"
            row "$a \`kobjdump check --kernel Module.symvers TREE\` (vs depmod -n -e -E)" "check-$a" "depmodsym-$a"
            row "$a \`depmod -n -e -E Module.symvers\`" "depmodsym-$a"
            row "$a \`kobjdump depmod -o /dev/null TREE\` (vs depmod -n)" "depmod-$a" "depmodn-$a"
            row "$a \`depmod -n\`" "depmodn-$a"
            row "$a \`kobjdump stats TREE\`" "stats-$a"
            awk -v r="$rel" -v w="$(col 1 "check-$a")" -v s="$(col 1 "stats-$a")" \
                'BEGIN { printf "\n%s: %d relocations; check %.2f M relocations/s, stats %.2f M relocations/s (whole process)\n\n", "'"$a"'", r, r / w / 1e6, r / s / 1e6 }'
        } | tee -a "$out"
    done
    echo "bench-cli: table in $out" >&2
}

main "$@"
