#!/usr/bin/env bash
# bench-matrix.sh - whole-process cost of `kobjdump check --matrix` on 1, 2 and 4 trees.
#
# Usage: scripts/bench-matrix.sh [TREE [KERNEL_DIR...]]
#   TREE        a module tree (default: corpus/amd64/lib/modules/*)
#   KERNEL_DIR  kernels to check against, each a directory holding Module.symvers
#               (default: every kernels/*/ of scripts/fetch-kernels.sh)
#
# The tree is given 1, 2 and 4 times in one run (each occurrence is read and parsed again), so
# the cost per tree added shows whether the matrix grows linearly. Prints, as a Markdown table,
# wall time, CPU time (user+sys), peak RSS and the CPU added per tree; also written to
# kobj-bench/target/bench-matrix.md. Numbers, not assertions: nothing here fails on a figure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
tree=${1:-$(echo corpus/amd64/lib/modules/*)}
shift || true
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || for k in kernels/*/; do [ -f "$k/Module.symvers" ] && kernels+=("${k%/}"); done
[ -d "$tree" ] || { echo "bench-matrix: no tree $tree (scripts/fetch-corpus.sh)" >&2; exit 1; }
[ ${#kernels[@]} -gt 0 ] || { echo "bench-matrix: no kernels (scripts/fetch-kernels.sh)" >&2; exit 1; }
kargs=()
for k in "${kernels[@]}"; do kargs+=(--kernel "$k"); done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p kobj-bench/target
out=kobj-bench/target/bench-matrix.md
./kobjdump --version >/dev/null
modules=$(find "$tree" -name '*.ko*' | wc -l)
{
    echo "bench-matrix.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); tree $tree ($modules modules); kernels: ${kernels[*]}"
    echo
    echo "| trees | module x kernel checks | wall | CPU | peak RSS | CPU per tree added |"
    echo "|--:|--:|--:|--:|--:|--:|"
} | tee "$out"
prev="" prevn=0
for n in 1 2 4; do
    trees=()
    for ((i = 0; i < n; i++)); do trees+=("$tree"); done
    /usr/bin/time -o "$tmp/t" -f '%e %U %S %M' ./kobjdump check --matrix "${kargs[@]}" "${trees[@]}" >/dev/null 2>"$tmp/err" || true
    read -r wall user sys rss < <(tail -n 1 "$tmp/t") # (after any "Command exited with non-zero status" line)
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    per=""
    [ -z "$prev" ] || per=$(awk -v a="$cpu" -v b="$prev" -v n="$n" -v p="$prevn" 'BEGIN { printf "+%.2f s", (a - b) / (n - p) }')
    printf '| %d | %d | %s s | %s s | %d MiB | %s |\n' "$n" $((n * modules * ${#kernels[@]})) "$wall" "$cpu" $((rss / 1024)) "$per" | tee -a "$out"
    prev=$cpu prevn=$n
done
