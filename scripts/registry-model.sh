#!/usr/bin/env bash
# The registry under load, benchmark-style: RegistryModelTest with N operations (default one
# million) on 8 threads, every outcome and state checked against the sequential model. Prints
# operations, seconds, operations/s, broken invariants (0) and leaks (0); exits non-zero on any.
# Then RegistryLoadBench: loads of unrelated modules by 1 and 8 threads, read latency meanwhile.
#   scripts/registry-model.sh [OPERATIONS] [SEED]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OPS=${1:-1000000}
T=kobj-fuzz/target
if [ "${FUZZ_NO_BUILD:-}" != 1 ]; then
    ./mvnw -B -q -pl kobj-fuzz -am test-compile dependency:build-classpath \
        -Dmdep.outputFile=target/fuzz.classpath -Dmdep.includeScope=test >&2
fi
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
SNAP=$T/model-snapshot-$$
mkdir -p $SNAP
trap 'rm -rf $SNAP' EXIT
CP=""; i=0
for e in $T/test-classes $(tr ':' ' ' < $T/fuzz.classpath); do
    if [ -d "$e" ]; then i=$((i + 1)); cp -r "$e" $SNAP/$i; e=$SNAP/$i; fi
    CP="$CP${CP:+:}$e"
done
"$JAVA" -Xmx2g --enable-native-access=ALL-UNNAMED -Dkobj.testdata="$PWD/testdata" -Dkobj.registry.model.ops="$OPS" \
    ${2:+-Dkobj.registry.model.seed=$2} -cp "$CP" dev.kobj.fuzz.RegistryModelMain
# Loads of 400 unrelated modules by 1 and by 8 threads, and the latency of reads made meanwhile.
"$JAVA" -Xmx2g -Dkobj.testdata="$PWD/testdata" -cp "$CP" dev.kobj.fuzz.RegistryLoadBench 400
