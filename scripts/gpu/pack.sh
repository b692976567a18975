#!/usr/bin/env bash
# Packs what a GPU machine without dotnet and without network needs to run scripts/gpu/device-check.sh, into
# .gpu/pack/ (git-ignored; name it in the device tool's `carry`, the working tree itself travels):
#   dotnet.tar.xz self-contained publishes (linux-x64) of the CLI (dotnet/grid/grid) and of the silo
#                 (dotnet/silo/Grid.Silo), xz-compressed, files the two share stored once (hard links). Two
#                 single-file publishes (EnableCompressionInSingleFile) were 32 + 44 MB: each carries its own
#                 .NET runtime, over the 64 MiB that travel together with everything else.
#   redis.tar.xz  this machine's redis-server with every shared library it loads, glibc's loader included, so
#                 it runs whatever the GPU machine's distribution is (run through lib/ld-linux-x86-64.so.2)
#   val.tar       the held-out images (data/images/val) for the PSNR and cross-device checks
# The native library is NOT packed: device-check.sh builds native/ there against the machine's CUDA PyTorch.
# Fails when the pack would not leave room in the 64 MiB that travel (limit below: 56 MiB).
#   scripts/gpu/pack.sh [--skip-publish]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
pack=$root/.gpu/pack
limit_mib=${GRID_PACK_LIMIT_MIB:-56}
skip_publish=0
[[ ${1:-} == --skip-publish ]] && skip_publish=1
mkdir -p "$pack"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

publish() {  # project, name
  local out=$work/dotnet/$2
  nice -n 19 dotnet publish "$1" -c Release -r linux-x64 --self-contained true -p:DebugType=none \
    -o "$out" -nologo -v q
  # The CPU libgrid_native.so that Grid.Native copies beside the assemblies is left out: the GPU build replaces
  # it (GRID_NATIVE_LIBRARY in device-check.sh).
  rm -f "$out"/libgrid_native.so "$out"/*.pdb
}

if [[ $skip_publish == 0 ]]; then
  publish Client/Grid.Cli/Grid.Cli.csproj grid
  publish Silo/Grid.Silo.csproj silo
  # The runtime and the libraries both use: one copy, hard-linked (tar stores a hard link once).
  (cd "$work/dotnet/grid" && find . -type f) | while read -r file; do
    if [[ -f $work/dotnet/silo/$file ]] && cmp -s "$work/dotnet/grid/$file" "$work/dotnet/silo/$file"; then
      ln -f "$work/dotnet/grid/$file" "$work/dotnet/silo/$file"
    fi
  done
  tar -C "$work" -cf - dotnet | xz -T2 -9 > "$pack/dotnet.tar.xz"
  rm -f "$pack/grid.tar.xz" "$pack/silo.tar.xz"
fi

# redis-server and its libraries (ldd's resolution on this machine), run through the packed loader.
mkdir -p "$work/redis/lib"
server=$(readlink -f "$(command -v redis-server)")
cp "$server" "$work/redis/redis-server"
ldd "$server" | awk '/=> \//{print $3} /^\s*\/lib/{print $1}' | while read -r library; do
  cp -L "$library" "$work/redis/lib/"
done
tar -C "$work" -cJf "$pack/redis.tar.xz" redis

# Held-out images (data/images/val): the split the PSNR figures of README and docs/training.md use.
if [[ -d data/images/val ]]; then
  tar -C data/images -cf "$pack/val.tar" val
else
  echo "pack: data/images/val missing (./grid data fetches it); the PSNR steps will be skipped" >&2
  rm -f "$pack/val.tar"
fi

size=$(du -sb "$pack" | cut -f1)
tracked=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
echo "pack: $(du -sh "$pack" | cut -f1) in $pack ($(ls "$pack" | tr '\n' ' ')); tracked files $((tracked / 1048576)) MiB"
if (( size + tracked > limit_mib * 1048576 )); then
  echo "pack: pack + tracked files = $(((size + tracked) / 1048576)) MiB, over the ${limit_mib} MiB budget" >&2
  exit 1
fi
