#!/usr/bin/env bash
# Validates every object of the rendered overlays against the Kubernetes API schemas (npm kubernetes-models: types,
# required fields, enums, formats), offline once the validator is installed. The first run installs it with npm into
# the git-ignored artifacts/k8s-validate (about 25 MB); that is why this is not part of ./grid test, whose deployment
# checks (tests/Grid.Deploy.Tests) need no network. See docs/kubernetes.md, "Checks".
#   scripts/validate-k8s.sh [OVERLAY...]     default: every overlay under k8s/overlays
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=$root/artifacts/k8s-validate
for tool in kubectl node npm; do
  command -v "$tool" >/dev/null || { echo "validate-k8s: $tool is required" >&2; exit 1; }
done
if [[ ! -f $tools/node_modules/kubernetes-models/package.json || ! -f $tools/node_modules/js-yaml/package.json ]]; then
  echo "validate-k8s: installing kubernetes-models into ${tools#"$root"/}" >&2
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --no-save --loglevel=error kubernetes-models@5.1.0 js-yaml@4.1.0 >&2
fi

overlays=("$@")
if ((${#overlays[@]} == 0)); then
  for dir in "$root"/k8s/overlays/*/; do overlays+=("$(basename "$dir")"); done
fi

# Reads multi-document YAML on stdin; validates each object with the model class of its apiVersion and kind.
validator='
import { readFileSync } from "node:fs";
import yaml from "js-yaml";
const source = process.argv[1];
let failures = 0, count = 0;
for (const doc of yaml.loadAll(readFileSync(0, "utf8"))) {
  if (!doc) continue;
  count++;
  const what = `${source}: ${doc.kind}/${doc.metadata?.name}`;
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
  let models;
  try {
    models = await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
  } catch {
    console.error(`${what}: unknown apiVersion ${doc.apiVersion}`); failures++; continue;
  }
  const Model = models[doc.kind];
  if (!Model) { console.error(`${what}: ${doc.apiVersion} has no kind ${doc.kind}`); failures++; continue; }
  try { new Model(doc).validate(); }
  catch (e) { console.error(`${what}: ${e.message}`); failures++; }
}
console.log(`${source}: ${count} objects, ${failures} invalid`);
process.exit(failures ? 1 : 0);
'
status=0
for overlay in "${overlays[@]}"; do
  rendered=$(kubectl kustomize "$root/k8s/overlays/$overlay")
  # Bare module names resolve from the working directory for --input-type=module code.
  (cd "$tools" && node --input-type=module -e "$validator" "$overlay" <<<"$rendered") || status=1
done
exit $status
