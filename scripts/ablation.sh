#!/usr/bin/env bash
# Codebook-learning ablation (docs/training.md): the same step budget, seed and data for each configuration, then
# `grid eval` on the held-out split. Prints a Markdown table; models go to run/ablation/<name>.
#   scripts/ablation.sh [steps]     (default 1500)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
steps=${1:-1500}
grid=("$root/grid")
out=$root/run/ablation
mkdir -p "$out"

configs=(
  "gradient:--codebook gradient --kmeans-init false --dead-code-threshold 0"
  "gradient+kmeans+restart:--codebook gradient --kmeans-init true --dead-code-threshold 2"
  "ema:--codebook ema --kmeans-init false --dead-code-threshold 0"
  "ema+kmeans:--codebook ema --kmeans-init true --dead-code-threshold 0"
  "ema+restart:--codebook ema --kmeans-init false --dead-code-threshold 2"
  "ema+kmeans+restart:--codebook ema --kmeans-init true --dead-code-threshold 2"
)

rows=()
for entry in "${configs[@]}"; do
  name=${entry%%:*}
  read -r -a flags <<<"${entry#*:}"
  if [[ ! -f $out/$name/card.json ]]; then
    echo "ablation: training $name ($steps steps)" >&2
    "${grid[@]}" train --data "$root/data/images" --data "$root/data/frames" --out "$out/$name" \
      --steps "$steps" --seed 1 --validate-every "$steps" --checkpoint-every "$steps" "${flags[@]}" >"$out/$name.log"
  fi
  "${grid[@]}" eval --data "$root/data/images/val" --model "$out/$name" --json --no-jpeg >"$out/$name.eval.json"
  rows+=("$(/usr/bin/python3 - "$name" "$out/$name.eval.json" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
e = json.load(open(path))
print(f"| {name} | {e['mean_psnr']:.2f} | {e['codes_used']} / {e['codebook_size']} | {e['perplexity']:.0f} |")
PY
)")
done

echo "| configuration ($steps steps, seed 1) | held-out PSNR dB | codes used | perplexity |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
