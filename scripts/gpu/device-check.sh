#!/usr/bin/env bash
# One prepared run of every GPU check of issue 20 (docs/gpu.md), each step time-boxed, everything written to $OUT.
# Prepare on the dev machine:   scripts/gpu/pack.sh            (-> .gpu/pack, git-ignored, carried)
# Run on the GPU machine:       scripts/gpu/device-check.sh    (device tool: carry [".gpu/pack"], timeout_s 600)
# Rehearse here on the CPU:     scripts/gpu/device-check.sh --device cpu --quick
# Steps: unpack, build native/ against the machine's torch, native batch/thread invariance, grid bench codec vs the
# PyTorch yardstick (eager bf16 + channels-last, then torch.compile), held-out PSNR GPU vs CPU, cross-device decode,
# a short profile, a silo on the device under concurrent clients vs the in-process rate. A failed or timed-out step
# is recorded in $OUT/steps.tsv and the run goes on; $OUT/summary.md gathers the figures.
#   options: --device cuda|cuda:N|cpu  --precision bf16|fp32|tf32  --quick  --budget SECONDS (default 480)
#            --device-batch N (native pass size, default 64)  --skip STEP[,STEP]
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
device=cuda
precision=bf16
quick=0
budget=480
device_batch=64
skip=","
while (($#)); do
  case $1 in
    --device) device=$2; shift ;;
    --precision) precision=$2; shift ;;
    --quick) quick=1 ;;
    --budget) budget=$2; shift ;;
    --device-batch) device_batch=$2; shift ;;
    --skip) skip=",$2,"; shift ;;
    *) echo "device-check: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
OUT=${OUT:-$root/.gpu/out}
mkdir -p "$OUT"
run=$root/.gpu/run
pack=$root/.gpu/pack
started=$(date +%s)
cores=$(nproc)
# The interpreter with the machine's torch: the GPU machine's venv, else Debian's python3-torch.
python=${GRID_PYTHON:-}
[[ -z $python && -x /opt/torch/.venv/bin/python3 ]] && python=/opt/torch/.venv/bin/python3
[[ -z $python ]] && python=/usr/bin/python3
export GRID_PYTHON=$python DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
printf 'step\tstatus\tseconds\n' > "$OUT/steps.tsv"

# step NAME TIMEOUT COMMAND...: runs COMMAND with at most TIMEOUT seconds (less when the budget runs short),
# output to $OUT/NAME.log; records the exit status (124: timed out).
step() {
  local name=$1 limit=$2; shift 2
  if [[ $skip == *",$name,"* ]]; then printf '%s\tskipped\t0\n' "$name" >> "$OUT/steps.tsv"; return 0; fi
  local left=$((budget - ($(date +%s) - started)))
  if ((left < 5)); then printf '%s\tno-time\t0\n' "$name" >> "$OUT/steps.tsv"; echo "== $name: no time left"; return 0; fi
  ((limit > left)) && limit=$left
  echo "== $name (up to ${limit} s)"
  local t0=$(date +%s)
  # timeout signals its whole process group, so a step's background processes (redis, silo) end with it.
  timeout --kill-after=5 "$limit" bash -c '"$@"' step "$@" > "$OUT/$name.log" 2>&1
  local status=$?
  printf '%s\t%s\t%s\n' "$name" "$status" "$(($(date +%s) - t0))" >> "$OUT/steps.tsv"
  tail -n 3 "$OUT/$name.log" | sed 's/^/   /'
  return 0
}

grid() { "$run/dotnet/grid/grid" "$@"; }

unpack() {
  rm -rf "$run" && mkdir -p "$run"
  for archive in dotnet redis; do tar -C "$run" -xJf "$pack/$archive.tar.xz"; done
  [[ -f $pack/val.tar ]] && tar -C "$run" -xf "$pack/val.tar"
  ls "$run"
}

environment() {
  date -u
  nvidia-smi || true
  "$python" -c 'import torch, numpy; print("torch", torch.__version__, "cuda", torch.version.cuda, "devices", torch.cuda.device_count(), "numpy", numpy.__version__)'
  nproc; free -g || true
}

build_native() {
  local prefix
  prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
  cmake -S native -B "$root/.gpu/native-build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" &&
    cmake --build "$root/.gpu/native-build" -j "$cores"
}

native_checks() {
  local bench=$root/.gpu/native-build/grid_native_bench
  "$bench" --check --device "$device" --threads 2 --precision "$precision"
  ((quick)) || "$bench" --check --device "$device" --threads 2 --precision fp32
  # Native alone: pass size (copy/compute overlap) sweep at one large batch, host to host.
  local size=256 batch=256 seconds=1
  ((quick)) && size=64 batch=8 seconds=0.2
  for passes in 0 32 64 128; do
    ((quick && passes > 8)) && continue
    echo "max_batch $passes"
    "$bench" --device "$device" --precision "$precision" --max-batch "$passes" --sizes "$size" --batches "$batch" --min-seconds "$seconds"
  done
}

bench_codec() {  # extra args: yardstick compile mode etc.
  local sizes=(256 1920x1088) batches=(1 64 256) seconds=1.5
  ((quick)) && sizes=(64 96x64) batches=(1 4) seconds=0.2
  grid bench codec --device "$device" --precision "$precision" --device-batch "$device_batch" --threads "$cores" \
    --sizes "${sizes[@]}" --batches "${batches[@]}" --seconds "$seconds" --json "$@"
}

bench_codec_compiled() {
  local rows=("256:64" "256:256" "1920x1088:64") seconds=1.5
  ((quick)) && rows=("64:4") seconds=0.2
  for row in "${rows[@]}"; do
    grid bench codec --device "$device" --precision "$precision" --device-batch "$device_batch" --threads "$cores" \
      --sizes "${row%%:*}" --batches "${row##*:}" --seconds "$seconds" --json --pytorch-compile default
  done
}

psnr() {  # device precision
  local data=$run/val
  grid eval --data "$data" --device "$1" --precision "$2" --no-jpeg --json --threads "$cores"
}

cross_device() {
  local other=cpu work=$run/cross
  mkdir -p "$work"
  local images=("$run"/val/*.png)
  ((quick)) && images=("${images[0]}")
  ((${#images[@]} > 2)) && images=("${images[@]:0:2}")
  for image in "${images[@]}"; do
    local name
    name=$(basename "$image" .png)
    grid encode "$image" -o "$work/$name.$device.vqf" --device "$device" --precision "$precision" &&
      grid encode "$image" -o "$work/$name.cpu.vqf" --device "$other" &&
      grid decode "$work/$name.$device.vqf" -o "$work/$name.$device-on-cpu.ppm" --device "$other" &&
      grid decode "$work/$name.$device.vqf" -o "$work/$name.$device-on-$device.ppm" --device "$device" --precision "$precision" &&
      grid decode "$work/$name.cpu.vqf" -o "$work/$name.cpu-on-$device.ppm" --device "$device" --precision "$precision" &&
      grid decode "$work/$name.cpu.vqf" -o "$work/$name.cpu-on-cpu.ppm" --device "$other" || return 1
  done
  "$python" "$root/scripts/gpu/compare_frames.py" "$work" "$device"
}

profile() {
  local size=256 batch=256
  ((quick)) && size=64 batch=4
  "$python" "$root/scripts/gpu/profile.py" --native "$root/.gpu/native-build/libgrid_native.so" --device "$device" \
    --precision "$precision" --size "$size" --batch "$batch" --max-batch "$device_batch"
}

silo() {
  local work=$run/silo redis_port silo_port
  mkdir -p "$work"
  redis_port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  silo_port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local redis=(redis-server)
  command -v redis-server > /dev/null || redis=("$run/redis/lib/ld-linux-x86-64.so.2" --library-path "$run/redis/lib" "$run/redis/redis-server")
  "${redis[@]}" --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no > "$work/redis.log" 2>&1 &
  local redis_pid=$!
  # The silo admits only API keys (docs/security.md): a bootstrap admin key for this run, sent by the CLI.
  local key
  key=$("$python" -c 'import secrets; print(secrets.token_hex(32))')
  local max_batch=256 clients=(16 64 256) seconds=8 size=256
  ((quick)) && max_batch=4 clients=(2 8) seconds=2 size=64
  GRID_ADMIN_KEY=$key "$run/dotnet/silo/Grid.Silo" --urls "http://127.0.0.1:$silo_port" \
    --redis "127.0.0.1:$redis_port" --model "$root/models/default" --device "$device" --precision "$precision" \
    --threads "$cores" --Grid:MaxBatch "$max_batch" --Grid:DeviceBatch "$device_batch" --Grid:MaxQueue 4096 \
    --Grid:Trainer:Enabled false > "$work/silo.log" 2>&1 &
  local silo_pid=$!
  local ready=0
  for _ in $(seq 1 120); do
    if "$python" -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$silo_port/health/ready', timeout=2).status == 200 else 1)" 2> /dev/null; then
      ready=1; break
    fi
    kill -0 "$silo_pid" 2> /dev/null || break
    sleep 0.5
  done
  local status=1
  if ((ready)); then
    GRID_API_KEY=$key grid bench grid --server "http://127.0.0.1:$silo_port/" --device "$device" --precision "$precision" \
      --device-batch "$device_batch" --max-batch "$max_batch" --size "$size" --clients "${clients[@]}" \
      --seconds "$seconds" --threads "$cores" --json
    status=$?
  else
    echo "silo did not become ready"; tail -n 30 "$work/silo.log"
  fi
  kill "$silo_pid" 2> /dev/null; wait "$silo_pid" 2> /dev/null
  kill "$redis_pid" 2> /dev/null; wait "$redis_pid" 2> /dev/null
  cp "$work/silo.log" "$OUT/silo-process.log" 2> /dev/null
  return $status
}

export root run pack device precision quick device_batch cores python OUT
export -f grid unpack environment build_native native_checks bench_codec bench_codec_compiled psnr cross_device profile silo
step unpack 60 unpack
step environment 30 environment
step build-native 240 build_native
if [[ $skip == *",build-native,"* ]]; then
  # Rehearsal on the dev machine: the library ./grid setup built (native/build) instead of a fresh build.
  mkdir -p "$root/.gpu/native-build"
  cp native/build/libgrid_native.so native/build/grid_native_bench "$root/.gpu/native-build/"
fi
export GRID_NATIVE_LIBRARY=$root/.gpu/native-build/libgrid_native.so
step native-checks 45 native_checks
step bench-codec-eager 110 bench_codec
step bench-codec-compiled 150 bench_codec_compiled
step psnr-device 60 psnr "$device" "$precision"
step psnr-cpu 90 psnr cpu fp32
step cross-device 60 cross_device
step profile 45 profile
step silo 90 silo
"$python" "$root/scripts/gpu/summarize.py" "$OUT" > "$OUT/summary.md" 2> "$OUT/summarize.log"
cat "$OUT/summary.md"
echo "device-check: $(($(date +%s) - started)) s; outputs in $OUT"
