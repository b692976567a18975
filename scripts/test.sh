#!/usr/bin/env bash
# Runs every test of the solution (after ./grid setup). Tests start their own redis-server and silo processes
# on loopback ports; the real native library and real image files are used throughout.
#   scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Frame]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# Tests share the machine's cores with the codec threads they start; keep libtorch from oversubscribing.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
results=$root/artifacts/test-results
rm -rf "$results"
# Speed reports and benchmarks (Category=Speed/Benchmark) print numbers and never assert on time; they are run on
# purpose (see README), not here.
# A --filter given on the command line narrows that default (dotnet test accepts only one --filter).
filter="Category!=Benchmark&Category!=Speed"
args=()
while (($#)); do
  if [[ $1 == --filter && $# -ge 2 ]]; then filter="($filter)&($2)"; shift 2; else args+=("$1"); shift; fi
done
dotnet test Grid.sln -c Release --no-build -nologo --filter "$filter" \
  --logger "console;verbosity=minimal" --results-directory "$results" --logger trx ${args[@]+"${args[@]}"}
