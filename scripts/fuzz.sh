#!/usr/bin/env bash
# Fuzzes every target of kobj-fuzz in turn with Jazzer's libFuzzer driver and prints, per
# target: executions, executions/s, coverage (libFuzzer's cov: edges and ft: features),
# corpus size and findings.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s, every target)
#   FUZZ_RUNS=N scripts/fuzz.sh 0 ...                    (N executions per target instead of a time)
#
# Seeds: the committed inputs (kobj-fuzz/src/test/resources/dev/kobj/fuzz/<Class>Inputs/<method>/,
# also run in regression mode by every build). The growing corpus is kept in
# kobj-fuzz/target/fuzz-corpus/<target>/; a finding is written to kobj-fuzz/target/fuzz-findings/
# (copy it into the target's Inputs directory once fixed: it then runs in every build).
# Logs: kobj-fuzz/target/fuzz-logs/. The figures table: kobj-fuzz/target/fuzz-logs/summary.tsv.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_PER=${1:-60}
shift || true
JAVA=${JAVA:-}
if [ -z "$JAVA" ]; then
    for j in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "$(command -v java)"; do
        if [ -x "$j" ] && "$j" -version 2>&1 | grep -q 'version "2[5-9]'; then JAVA=$j; break; fi
    done
fi
[ -n "$JAVA" ] || { echo "fuzz.sh: no JDK 25 found (set JAVA or JAVA_HOME)" >&2; exit 2; }

T=kobj-fuzz/target
if [ "${FUZZ_NO_BUILD:-}" != 1 ]; then
    ./mvnw -B -q -pl kobj-fuzz -am test-compile dependency:build-classpath \
        -Dmdep.outputFile=target/fuzz.classpath -Dmdep.includeScope=test >&2 || exit 2
fi
# A snapshot of the classes, so that a build during a long campaign does not change them under it.
SNAP=$T/fuzz-snapshot-$$
mkdir -p $SNAP
CP=""
i=0
for e in $T/test-classes $(tr ':' ' ' < $T/fuzz.classpath); do
    if [ -d "$e" ]; then i=$((i + 1)); cp -r "$e" $SNAP/$i; e=$SNAP/$i; fi
    CP="$CP${CP:+:}$e"
done
trap 'rm -rf $SNAP' EXIT
ALL=(ElfFuzzTest#parse LinkFuzzTest#x86_64 LinkFuzzTest#aarch64 LinkFuzzTest#riscv
     SymtabFuzzTest#systemMap SymtabFuzzTest#kallsyms SymtabFuzzTest#symvers
     DescriptorFuzzTest#modinfo DescriptorFuzzTest#properties DescriptorFuzzTest#plist
     SignatureFuzzTest#verify SignatureFuzzTest#certificates DepmodFuzzTest#graph)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL[@]}")
mkdir -p $T/fuzz-logs $T/fuzz-findings
SUMMARY=$T/fuzz-logs/summary${FUZZ_TAG:+-$FUZZ_TAG}.tsv
printf 'target\texecutions\texec/s\tcov\tft\tcorpus\tfindings\tseconds\n' > $SUMMARY
total=0; findings_total=0
for t in "${TARGETS[@]}"; do
    cls=${t%#*}; m=${t#*#}
    seeds=kobj-fuzz/src/test/resources/dev/kobj/fuzz/${cls}Inputs/$m
    corpus=$T/fuzz-corpus/$cls-$m
    art=$T/fuzz-findings/${FUZZ_TAG:+$FUZZ_TAG-}$cls-$m/
    mkdir -p "$corpus" "$art"
    log=$T/fuzz-logs/${FUZZ_TAG:+$FUZZ_TAG-}$cls-$m.log
    case $cls in
        SymtabFuzzTest|DescriptorFuzzTest) [ "$m" = modinfo ] && maxlen=20000 || maxlen=4096 ;;
        SignatureFuzzTest) [ "$m" = certificates ] && maxlen=4096 || maxlen=12000 ;;
        *) maxlen=20000 ;;
    esac
    limit=(-max_total_time="$SECONDS_PER")
    [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
    start=$(date +%s)
    "$JAVA" -XX:+EnableDynamicAgentLoading -XX:-OmitStackTraceInFastThrow -XX:+UseParallelGC -Xmx3g \
        --enable-native-access=ALL-UNNAMED -Dkobj.testdata="$PWD/testdata" -Dkobj.fuzz.target="$t" \
        -cp "$CP" com.code_intelligence.jazzer.Jazzer --target_class=dev.kobj.fuzz.FuzzMain \
        --instrumentation_includes='dev.kobj.**' --keep_going="${FUZZ_KEEP_GOING:-1}" \
        "${limit[@]}" -timeout=30 -rss_limit_mb=5000 -max_len=$maxlen -print_final_stats=1 \
        -artifact_prefix="$art" --reproducer_path="$art" "$corpus" "$seeds" > "$log" 2>&1
    rc=$?
    took=$(( $(date +%s) - start ))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
    eps=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(echo "$last" | grep -o 'cov: [0-9]*' | awk '{print $2}')
    ft=$(echo "$last" | grep -o 'ft: [0-9]*' | awk '{print $2}')
    corp=$(echo "$last" | grep -o 'corp: [0-9]*' | awk '{print $2}')
    found=$(find "$art" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' -o -name 'slow-unit-*' \) | wc -l)
    if [ "$rc" -ne 0 ] && [ "$found" -eq 0 ]; then found="error(rc=$rc)"; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "${execs:-0}" "${eps:-0}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$found" "$took" >> $SUMMARY
    total=$(( total + ${execs:-0} ))
    [ "$found" = 0 ] || findings_total=$(( findings_total + 1 ))
    echo "$(date -u +%FT%TZ) $t: ${execs:-0} executions, ${eps:-0}/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}, findings $found ($took s)" >&2
done
echo
column -t -s $'\t' $SUMMARY
echo "total: $total executions, $findings_total target(s) with findings ($(date -u +%FT%TZ), $(nproc) cores)"
[ "$findings_total" -eq 0 ]
