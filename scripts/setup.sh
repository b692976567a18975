#!/usr/bin/env bash
# Idempotent setup: Debian packages, the native library (CMake), the .NET solution.
# Each step is skipped when its inputs have not changed, so a second run takes about a second.
#   --quiet   print nothing when there is nothing to do (used by ./grid before every CLI command)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quiet=false
[[ ${1:-} == --quiet ]] && quiet=true
say() { $quiet || echo "setup: $*"; }
stamps=$root/.setup
mkdir -p "$stamps"

# ---- 1. Debian packages ----------------------------------------------------------------------------
packages=(
  cmake g++ make pkg-config
  libtorch-dev libopenblas0-pthread      # libtorch 1.13 (CPU); OpenBLAS replaces the reference BLAS (~7x)
  libturbojpeg0                          # JPEG files (PNG: SkiaSharp from NuGet, docs/imaging.md)
  redis-server redis-tools               # frame store (tests start their own servers on loopback)
  ffmpeg                                 # video decoding, data preparation
  python3-torch python3-numpy            # the PyTorch yardstick of `grid bench codec`
  webp                                   # cwebp/dwebp: the WebP baseline of `grid eval`
  chromium                               # headless render check of the `grid eval --report` page (tests)
)
packages_key=$(printf '%s\n' "${packages[@]}" | md5sum | cut -c1-12)
if [[ ! -f $stamps/apt-$packages_key ]]; then
  missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if ((${#missing[@]})); then
    sudo=(); [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    say "installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # libtorch links libblas.so.3: make sure the alternative resolves to OpenBLAS, not the reference BLAS.
  blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 || true)
  if [[ $blas != *openblas* ]]; then
    echo "setup: libblas.so.3 resolves to '$blas', not OpenBLAS; run: update-alternatives --auto libblas.so.3-x86_64-linux-gnu" >&2
    exit 1
  fi
  rm -f "$stamps"/apt-*
  touch "$stamps/apt-$packages_key"
fi

# kubectl (with kustomize) renders k8s/ for the deploy checks; it is not in Debian 12 (its kubernetes-client 1.20 is
# too old for the manifests), so it must come with the machine (it does on Grid's CI and dev machines).
if ! command -v kubectl >/dev/null && [[ ! -f $stamps/kubectl-warned ]]; then
  echo "setup: kubectl not found: tests/Grid.Deploy.Tests will fail; install kubectl >= 1.27 (https://kubernetes.io/docs/tasks/tools/)" >&2
  touch "$stamps/kubectl-warned"
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (dotnet on PATH); see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

# ---- 2. native library -----------------------------------------------------------------------------
newer_than() { # stamp, paths...: true when any file under paths is newer than the stamp (or no stamp)
  local stamp=$1; shift
  [[ ! -f $stamp ]] && return 0
  [[ -n $(find "$@" -newer "$stamp" -type f -print -quit 2>/dev/null) ]]
}
if newer_than "$stamps/native" "$root/native" -not -path "$root/native/build/*" || [[ ! -f $root/native/build/libgrid_native.so ]]; then
  say "building native/ (CMake, Release)"
  cmake -S "$root/native" -B "$root/native/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$root/native/build" --parallel "$(nproc)" >/dev/null
  touch "$stamps/native"
fi

# ---- 3. .NET solution ------------------------------------------------------------------------------
sources=("$root"/Grid.sln "$root"/Directory.*.props "$root"/global.json "$root"/.editorconfig
  "$root"/Contracts "$root"/Runtime "$root"/Grains "$root"/Client "$root"/tests)
[[ -d $root/Silo ]] && sources+=("$root/Silo")
if newer_than "$stamps/dotnet" "${sources[@]}" "$root/native/build/libgrid_native.so"; then
  say "building Grid.sln (Release)"
  if ! out=$(dotnet build "$root/Grid.sln" -c Release -nologo -v quiet 2>&1); then
    echo "$out" >&2
    exit 1
  fi
  touch "$stamps/dotnet"
fi
say "ready"
