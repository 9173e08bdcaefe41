#!/usr/bin/env bash
# The registry under load, benchmark-style: RegistryModelTest with N operations (default one
# million) on 8 threads, every outcome and state checked against the sequential model. Prints
# operations, seconds, operations/s, broken invariants (0) and leaks (0).
#   scripts/registry-model.sh [OPERATIONS] [SEED]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OPS=${1:-1000000}
SEED=${2:+-Dkobj.registry.model.seed=$2}
./mvnw -B -q -pl kobj-fuzz -am -Dtest=RegistryModelTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dkobj.registry.model.ops="$OPS" ${SEED:-} verify >&2
grep -h "registry model:" kobj-fuzz/target/surefire-reports/*RegistryModelTest*.txt \
    kobj-fuzz/target/surefire-reports/*RegistryModelTest*-output.txt 2>/dev/null || true
