#!/usr/bin/env bash
# The main job: prepares the sample data if missing, then runs the demo with the shipped model.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
"$root/scripts/fetch-data.sh"
exec dotnet "$root/artifacts/bin/Grid.Cli/release/grid.dll" demo --data "$root/data" --out "$root/run/demo" "$@"
