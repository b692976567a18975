#!/usr/bin/env bash
# The long hostile-input run (docs/security.md): the CI test's seeded corpus at a larger size against a real silo and
# redis-server. Prints and keeps the tally (outcome counts per mutation family) in run/hostile-<count>-<seed>.txt.
#   scripts/hostile.sh [COUNT (default 5000)] [SEED (default 2026)]
# Needs a build (./grid setup).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
count=${1:-5000}
seed=${2:-2026}
mkdir -p run
report="$root/run/hostile-$count-$seed.txt"
rm -f "$report"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
GRID_HOSTILE_COUNT=$count GRID_HOSTILE_SEED=$seed GRID_HOSTILE_REPORT=$report \
  dotnet test tests/Grid.Silo.Tests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~HostileInputTests" --logger "console;verbosity=minimal"
echo
cat "$report"
