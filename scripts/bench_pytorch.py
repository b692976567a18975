#!/usr/bin/python3
"""PyTorch yardstick for Grid's native codec (libgrid_native.so).

Builds the seed VQ-VAE of native/ in PyTorch (random weights; speed does not depend on them) and times the
same work the native library does per call:
  encode: uint8 pixels (N x H x W x 3) -> x / 255 - 0.5 -> encoder -> nearest code (||e||^2 - 2 z.e) -> uint16
  decode: uint16 indices -> range check -> int32 -> codebook rows -> decoder -> round((y + 0.5) * 255) clamped
          -> uint8 pixels (N x H x W x 3)
Prints one JSON line per (op, size, batch), e.g.
  {"impl": "pytorch", "op": "encode", "size": 128, "batch": 32, "images_per_s": 70.1, "best_images_per_s": 74.0,
   "threads": 2, "cpus": 1.98}
images_per_s is the mean over the timed calls, best_images_per_s the fastest call (the least disturbed by
other work on the machine). Protocol (as native/build/grid_native_bench's): two warm-up calls, then timed calls
until at least three calls and --min-seconds have passed.
With --native native/build/libgrid_native.so the native library is loaded into this same process (it shares
Debian's libtorch, the OpenMP pool and the thread settings) and timed call by call, interleaved with PyTorch,
which makes the comparison fair on a machine busy with other work.
With --serve it waits for requests on stdin, one JSON object per line,
  {"op": "encode", "size": 128, "batch": 1, "seconds": 0.5}
runs that call for about that long (two untimed warm-up calls the first time it sees an (op, size, batch)) and
answers {"calls": 9, "seconds": 0.51, "best_seconds": 0.052, "cpu_seconds": 1.01}. `grid bench codec` drives
it that way so that its own timings and PyTorch's alternate in short slices and both see the same machine conditions.
--threads N sets libtorch's thread count and also OpenBLAS's: torch.set_num_threads leaves OpenBLAS's own pool at
one thread per core, so "PyTorch at 1 thread" would otherwise run its BLAS calls (the transposed convolutions) on
every core. libgrid_native.so sets both (native/src/runtime_info.cpp); the comparison is at equal threads.
Answers and JSON lines carry the CPU seconds used, so the equal footing can be checked.
Run with Debian's interpreter: /usr/bin/python3 scripts/bench_pytorch.py --threads 2 [--native LIBRARY | --serve]

On a GPU (PyTorch 2.x): --device cuda [--precision fp32|tf32|bf16] [--channels-last] [--compile MODE] [--model-only]
times the same calls host to host (uint8 pixels in host memory -> uint16 indices in host memory, and back) through
reused pinned staging buffers; bf16 is torch.autocast over the encoder and decoder with the nearest-code search in
float32; --compile wraps the device part of encode and decode in torch.compile (inductor, MODE e.g. default or
max-autotune-no-cudagraphs; one compilation per shape, timed separately as compile_seconds). --model-only times
the device part alone on tensors already on the GPU (what "model only" rows mean). Sizes are N (square) or WxH,
e.g. --sizes 256,1920x1088. Every line then carries "device", "precision", "channels_last" and "compile".
"""
import sys
import argparse
import ctypes
import json
import os
import re
import struct
import time

import numpy as np
import torch
from torch import nn


class ResidualStack(nn.Module):
    def __init__(self, hidden, residual, blocks):
        super().__init__()
        self.conv3x3 = nn.ModuleList(nn.Conv2d(hidden, residual, 3, padding=1) for _ in range(blocks))
        self.conv1x1 = nn.ModuleList(nn.Conv2d(residual, hidden, 1) for _ in range(blocks))

    def forward(self, x):
        for conv3x3, conv1x1 in zip(self.conv3x3, self.conv1x1):
            h = conv3x3(torch.relu(x)).relu_()
            x = conv1x1(h).add_(x)
        return x.relu_() if len(self.conv3x3) else torch.relu(x)


class Encoder(nn.Module):
    def __init__(self, hidden, residual, blocks, dim):
        super().__init__()
        self.conv1 = nn.Conv2d(3, hidden // 2, 4, stride=2, padding=1)
        self.conv2 = nn.Conv2d(hidden // 2, hidden, 4, stride=2, padding=1)
        self.conv3 = nn.Conv2d(hidden, hidden, 3, padding=1)
        self.residual = ResidualStack(hidden, residual, blocks)
        self.pre_quantization = nn.Conv2d(hidden, dim, 1)

    def forward(self, x):
        x = self.conv1(x).relu_()
        x = self.conv2(x).relu_()
        x = self.residual(self.conv3(x))
        return self.pre_quantization(x)


class Decoder(nn.Module):
    def __init__(self, hidden, residual, blocks, dim):
        super().__init__()
        self.conv1 = nn.Conv2d(dim, hidden, 3, padding=1)
        self.residual = ResidualStack(hidden, residual, blocks)
        self.deconv1 = nn.ConvTranspose2d(hidden, hidden // 2, 4, stride=2, padding=1)
        self.deconv2 = nn.ConvTranspose2d(hidden // 2, 3, 4, stride=2, padding=1)

    def forward(self, z):
        x = self.residual(self.conv1(z))
        x = self.deconv1(x).relu_()
        return self.deconv2(x)


class VqVae(nn.Module):
    def __init__(self, hidden=128, residual=32, blocks=2, dim=64, codes=512):
        super().__init__()
        self.encoder = Encoder(hidden, residual, blocks, dim)
        self.codebook = nn.Parameter(torch.empty(codes, dim).uniform_(-1 / codes, 1 / codes))
        self.decoder = Decoder(hidden, residual, blocks, dim)

    @torch.inference_mode()
    def encode(self, pixels, out):
        """pixels: uint8 numpy N x H x W x 3; out: uint16 numpy N x H/4 x W/4."""
        x = torch.from_numpy(pixels).permute(0, 3, 1, 2).float().div_(255).sub_(0.5)
        z = self.encoder(x)
        vectors = z.permute(0, 2, 3, 1).reshape(-1, z.shape[1])
        norms = self.codebook.pow(2).sum(1)
        nearest = torch.addmm(norms, vectors, self.codebook.t(), beta=1, alpha=-2).argmin(1)
        out.reshape(-1)[:] = nearest.numpy()

    @torch.inference_mode()
    def decode(self, indices, out):
        """indices: uint16 numpy N x h x w; out: uint8 numpy N x 4h x 4w x 3."""
        if (indices >= self.codebook.shape[0]).any():
            raise ValueError("index not below the codebook size")
        codes = torch.from_numpy(indices.astype(np.int32)).reshape(-1)
        n, h, w = indices.shape
        z = self.codebook.index_select(0, codes).view(n, h, w, -1).permute(0, 3, 1, 2)
        y = self.decoder(z)
        y.add_(0.5).mul_(255).round_().clamp_(0, 255)
        torch.from_numpy(out).copy_(y.permute(0, 2, 3, 1))


def set_blas_threads(threads):
    """Sets the thread count of the OpenBLAS that libtorch loaded (Debian's libblas.so.3 alternative resolves to
    .../openblas-pthread/libblas.so.3). Returns its path, or None when the process has no OpenBLAS."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    for path in sorted(paths):
        if "openblas" in path and os.path.basename(path).startswith("lib"):
            library = ctypes.CDLL(path)
            if hasattr(library, "openblas_set_num_threads"):
                library.openblas_set_num_threads(threads)
                return path
    return None


def cpu_seconds():
    """User + system CPU time of this process, all its threads (clock_gettime, nanosecond resolution)."""
    return time.process_time()


def parse_size(text):
    """'256' -> (256, 256); '1920x1088' -> (1088, 1920) as (height, width)."""
    text = str(text)
    if "x" in text:
        width, height = (int(part) for part in text.split("x"))
        return height, width
    return int(text), int(text)


def size_label(height, width):
    return height if height == width else f"{width}x{height}"


def make_images(count, size, seed):
    """Smooth colour gradients plus noise (as grid_native_bench makes them). size: side or (height, width)."""
    height, width = size if isinstance(size, tuple) else (size, size)
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    images = np.empty((count, height, width, 3), dtype=np.uint8)
    for n in range(count):
        phase = int(rng.integers(256))
        for c in range(3):
            base = (x * (c + 1) + y * (3 - c) + phase) % 256
            images[n, :, :, c] = np.clip(base + rng.integers(-16, 17, size=(height, width)), 0, 255)
    return images


class DeviceRunner:
    """The same encode/decode calls on any device, optionally under bf16 autocast, channels-last and torch.compile,
    host to host through reused pinned staging buffers (or, with model_only, on device tensors alone)."""

    def __init__(self, model, device, precision, channels_last, compile_mode, model_only):
        self.device = torch.device(device)
        self.cuda = self.device.type == "cuda"
        self.model = model.to(self.device)
        self.channels_last = channels_last
        if channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        self.precision = precision
        if self.cuda:
            torch.backends.cudnn.allow_tf32 = precision == "tf32"
            torch.backends.cuda.matmul.allow_tf32 = precision == "tf32"
            torch.backends.cudnn.benchmark = True
        self.autocast = precision == "bf16"
        self.model_only = model_only
        self.compile_mode = compile_mode
        self.compile_seconds = {}
        self.encode_device = self._encode_device
        self.decode_device = self._decode_device
        if compile_mode:
            if not hasattr(torch, "compile"):
                raise SystemExit(f"--compile needs PyTorch 2.x (this is {torch.__version__})")
            self.encode_device = torch.compile(self._encode_device, mode=compile_mode, dynamic=False)
            self.decode_device = torch.compile(self._decode_device, mode=compile_mode, dynamic=False)
        self.staging = {}
        self.resident = {}

    def _autocast(self):
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.autocast)

    def _encode_device(self, pixels):
        x = pixels.permute(0, 3, 1, 2).float().div(255).sub(0.5)
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        with self._autocast():
            z = self.model.encoder(x)
        vectors = z.float().permute(0, 2, 3, 1).reshape(-1, z.shape[1])
        codebook = self.model.codebook
        norms = codebook.pow(2).sum(1)
        return torch.addmm(norms, vectors, codebook.t(), beta=1, alpha=-2).argmin(1).to(torch.int16)

    def _decode_device(self, codes):
        n, h, w = codes.shape
        z = self.model.codebook.index_select(0, codes.reshape(-1)).view(n, h, w, -1).permute(0, 3, 1, 2)
        if self.channels_last:
            z = z.contiguous(memory_format=torch.channels_last)
        with self._autocast():
            y = self.model.decoder(z)
        y = y.float().add(0.5).mul(255).round().clamp(0, 255)
        return y.permute(0, 2, 3, 1).to(torch.uint8).contiguous()

    def _stage(self, key, shape, dtype):
        buffer = self.staging.get(key)
        if buffer is None or buffer.shape != shape:
            buffer = torch.empty(shape, dtype=dtype, pin_memory=self.cuda)
            self.staging[key] = buffer
        return buffer

    def _timed_compile(self, key, call):
        """First call of a compiled shape: its compile time is reported, not timed as throughput."""
        if self.compile_mode and key not in self.compile_seconds:
            start = time.perf_counter()
            result = call()
            if self.cuda:
                torch.cuda.synchronize()
            self.compile_seconds[key] = round(time.perf_counter() - start, 2)
            return result
        return call()

    @torch.inference_mode()
    def encode(self, pixels, out):
        key = ("encode",) + pixels.shape
        if self.model_only:
            resident = self.resident.get(key)
            if resident is None:
                resident = self.resident[key] = torch.from_numpy(pixels).to(self.device)
            self._timed_compile(key, lambda: self.encode_device(resident))
            if self.cuda:
                torch.cuda.synchronize()
            return
        host = self._stage(("pixels",) + pixels.shape, pixels.shape, torch.uint8)
        host.copy_(torch.from_numpy(pixels))
        device_pixels = host.to(self.device, non_blocking=True)
        indices = self._timed_compile(key, lambda: self.encode_device(device_pixels))
        staged = self._stage(("indices",) + out.shape, out.shape, torch.int16)
        staged.copy_(indices.view(out.shape), non_blocking=True)
        if self.cuda:
            torch.cuda.current_stream().synchronize()
        out[...] = staged.numpy().view(np.uint16)

    @torch.inference_mode()
    def decode(self, indices, out):
        if (indices >= self.model.codebook.shape[0]).any():
            raise ValueError("index not below the codebook size")
        key = ("decode",) + indices.shape
        if self.model_only:
            resident = self.resident.get(key)
            if resident is None:
                resident = self.resident[key] = torch.from_numpy(indices.astype(np.int32)).to(self.device)
            self._timed_compile(key, lambda: self.decode_device(resident))
            if self.cuda:
                torch.cuda.synchronize()
            return
        host = self._stage(("codes",) + indices.shape, indices.shape, torch.int32)
        host.copy_(torch.from_numpy(indices.astype(np.int32)))
        codes = host.to(self.device, non_blocking=True)
        pixels = self._timed_compile(key, lambda: self.decode_device(codes))
        staged = self._stage(("rgb",) + out.shape, out.shape, torch.uint8)
        staged.copy_(pixels, non_blocking=True)
        if self.cuda:
            torch.cuda.current_stream().synchronize()
        out[...] = staged.numpy()


class NativeCodec:
    """libgrid_native.so through ctypes, in this process: it shares this process's libtorch (Debian's), OpenMP
    pool and thread settings with the PyTorch model, so both are timed under the same conditions."""

    class Config(ctypes.Structure):
        _fields_ = [(name, ctypes.c_int32) for name in
                    ("hidden", "residual", "blocks", "dim", "codes")]

    class InferenceOptions(ctypes.Structure):
        _fields_ = [(name, ctypes.c_int32) for name in ("precision", "max_batch", "deterministic")]

    def __init__(self, path, threads, device="cpu", precision="fp32", max_batch=0):
        self.lib = ctypes.CDLL(path)
        self.lib.GridNative_LastError.restype = ctypes.c_char_p
        self.check(self.lib.GridNative_SetNumThreads(threads))
        if hasattr(self.lib, "GridNative_SetInferenceOptions"):
            options = NativeCodec.InferenceOptions(("fp32", "tf32", "bf16").index(precision), max_batch, 1)
            self.check(self.lib.GridNative_SetInferenceOptions(ctypes.byref(options)))
        config = NativeCodec.Config(128, 32, 2, 64, 512)
        self.model = ctypes.c_void_p()
        self.check(self.lib.GridNative_ModelCreate(ctypes.byref(config), device.encode(), ctypes.c_uint64(1),
                                                   ctypes.byref(self.model)))

    def weights(self):
        """The model's GRIDW bytes (docs/weights-format.md)."""
        buffer, data, length = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_int64()
        self.check(self.lib.GridNative_ModelSave(self.model, ctypes.byref(buffer)))
        try:
            self.check(self.lib.GridNative_BufferGet(buffer, ctypes.byref(data), ctypes.byref(length)))
            return ctypes.string_at(data, length.value)
        finally:
            self.lib.GridNative_BufferDestroy(buffer)

    def check(self, status):
        if status != 0:
            raise RuntimeError(self.lib.GridNative_LastError().decode())

    def encode(self, pixels, out):
        n, h, w, _ = pixels.shape
        self.check(self.lib.GridNative_ModelEncode(self.model, pixels.ctypes.data_as(ctypes.c_void_p), n, h, w,
                                                   out.ctypes.data_as(ctypes.c_void_p)))

    def decode(self, indices, out):
        n, h, w = indices.shape
        self.check(self.lib.GridNative_ModelDecode(self.model, indices.ctypes.data_as(ctypes.c_void_p), n, h, w,
                                                   out.ctypes.data_as(ctypes.c_void_p)))


def load_grid_weights(model, weights):
    """Copies GRIDW bytes into the PyTorch model (names differ only in list notation: conv3x3_0 -> conv3x3.0)."""
    assert weights[:5] == b"GRIDW"
    offset = 5 + 4 + 5 * 4
    (count,) = struct.unpack_from("<I", weights, offset)
    offset += 4
    state = {}
    for _ in range(count):
        (length,) = struct.unpack_from("<H", weights, offset)
        name = weights[offset + 2:offset + 2 + length].decode()
        offset += 2 + length
        rank = weights[offset]
        dims = struct.unpack_from(f"<{rank}q", weights, offset + 1)
        offset += 1 + 8 * rank
        values = np.frombuffer(weights, dtype="<f4", count=int(np.prod(dims)), offset=offset)
        offset += 4 * values.size
        name = re.sub(r"\.(conv3x3|conv1x1)_(\d+)\.", r".\1.\2.", name).replace("quantizer.codebook", "codebook")
        state[name] = torch.from_numpy(values.reshape(dims).copy())
    model.load_state_dict(state)


def compare(model, native, size, batch):
    """Same weights in both: share of equal indices, largest pixel difference of the decodes."""
    pixels = make_images(batch, size, 11)
    ours = np.empty((batch, size // 4, size // 4), dtype=np.uint16)
    theirs = np.empty_like(ours)
    native.encode(pixels, ours)
    model.encode(pixels, theirs)
    decoded_ours = np.empty_like(pixels)
    decoded_theirs = np.empty_like(pixels)
    native.decode(ours, decoded_ours)
    model.decode(ours, decoded_theirs)
    difference = np.abs(decoded_ours.astype(np.int16) - decoded_theirs.astype(np.int16))
    return {"check": "native_vs_pytorch_same_weights", "size": size, "batch": batch,
            "indices_equal": round(float((ours == theirs).mean()), 6),
            "decode_max_abs_difference": int(difference.max()),
            "decode_pixels_differing": round(float((difference > 0).mean()), 6)}


def timed_calls(calls, min_seconds):
    """Warms each call up twice, then runs them in turn (interleaved, so that both see the same machine
    conditions) until each ran at least three times and min_seconds each have passed. Returns, per call,
    the list of durations and the CPU seconds used in them."""
    for call in calls:
        call()
        call()
    durations = [[] for _ in calls]
    cpu = [0.0 for _ in calls]
    while min(len(d) for d in durations) < 3 or min(sum(d) for d in durations) < min_seconds:
        for i, (call, spent) in enumerate(zip(calls, durations)):
            cpu_start = cpu_seconds()
            start = time.perf_counter()
            call()
            spent.append(time.perf_counter() - start)
            cpu[i] += cpu_seconds() - cpu_start
    return list(zip(durations, cpu))


def serve(model, blas_library, settings):
    """Answers timing requests from stdin (see the module docstring) until stdin closes."""
    prepared = {}
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "blas": blas_library, **settings}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        op, batch = request["op"], int(request["batch"])
        size = (int(request["height"]), int(request["width"])) if "height" in request else parse_size(request["size"])
        key = (op, size, batch)
        if key not in prepared:
            pixels = make_images(batch, size, 7)
            indices = np.empty((batch, size[0] // 4, size[1] // 4), dtype=np.uint16)
            model.encode(pixels, indices)
            decoded = np.empty_like(pixels)
            if op == "encode":
                call = lambda: model.encode(pixels, indices)
            elif op == "decode":
                call = lambda: model.decode(indices, decoded)
            else:
                raise ValueError(f"unknown op {op!r}")
            call()
            call()
            prepared[key] = call
        call = prepared[key]
        durations = []
        cpu_start = cpu_seconds()
        while not durations or sum(durations) < float(request["seconds"]):
            start = time.perf_counter()
            call()
            durations.append(time.perf_counter() - start)
        print(json.dumps({"calls": len(durations), "seconds": sum(durations), "best_seconds": min(durations),
                          "cpu_seconds": cpu_seconds() - cpu_start}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sizes", default="128,256")
    parser.add_argument("--batches", default="1,8,32")
    parser.add_argument("--min-seconds", type=float, default=2.0)
    parser.add_argument("--native", metavar="LIBRARY",
                        help="also time libgrid_native.so (e.g. native/build/libgrid_native.so) in this process, "
                             "interleaved call by call with PyTorch")
    parser.add_argument("--serve", action="store_true",
                        help="answer timing requests from stdin (how grid bench codec uses this script)")
    parser.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    parser.add_argument("--precision", choices=("fp32", "tf32", "bf16"), default="fp32",
                        help="bf16: torch.autocast over encoder and decoder (search in float32); tf32: TF32 tensor cores")
    parser.add_argument("--channels-last", action="store_true", help="model and inputs in channels-last layout")
    parser.add_argument("--compile", metavar="MODE", help="torch.compile the device part (default, max-autotune-no-cudagraphs, ...)")
    parser.add_argument("--native-max-batch", type=int, default=0,
                        help="with --native: the library's max_batch (passes per call, copies overlapped on CUDA)")
    parser.add_argument("--model-only", action="store_true", help="time the device part only (no host copies)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    blas_library = set_blas_threads(args.threads)
    torch.manual_seed(1)
    model = VqVae().eval()
    settings = {"device": args.device, "precision": args.precision, "channels_last": args.channels_last,
                "compile": args.compile, "model_only": args.model_only}
    plain = (args.device == "cpu" and args.precision == "fp32" and not args.channels_last and not args.compile
             and not args.model_only)
    runner = model if plain else DeviceRunner(model, args.device, args.precision, args.channels_last, args.compile,
                                              args.model_only)
    if args.serve:
        serve(runner, blas_library, settings if not plain else {})
        return
    native = NativeCodec(args.native, args.threads, args.device, args.precision, args.native_max_batch) \
        if args.native else None
    if native:
        # Timing aside, check that both run the same model: native's weights copied into the PyTorch one.
        reference = VqVae().eval()
        load_grid_weights(reference, native.weights())
        print(json.dumps(compare(reference, native, 64, 4)), flush=True)
    for size in (parse_size(s) for s in args.sizes.split(",")):
        for batch in (int(b) for b in args.batches.split(",")):
            pixels = make_images(batch, size, 7)
            indices = np.empty((batch, size[0] // 4, size[1] // 4), dtype=np.uint16)
            runner.encode(pixels, indices)
            decoded = np.empty_like(pixels)
            for op in ("encode", "decode"):
                impls = [("pytorch", runner)] + ([("native", native)] if native else [])
                if op == "encode":
                    calls = [lambda codec=codec: codec.encode(pixels, indices) for _, codec in impls]
                else:
                    calls = [lambda codec=codec: codec.decode(indices, decoded) for _, codec in impls]
                for (impl, _), (durations, cpu) in zip(impls, timed_calls(calls, args.min_seconds)):
                    line = {"impl": impl, "op": op, "size": size_label(*size), "batch": batch,
                            "images_per_s": round(batch * len(durations) / sum(durations), 2),
                            "best_images_per_s": round(batch / min(durations), 2),
                            "threads": args.threads, "cpus": round(cpu / sum(durations), 2)}
                    if not plain and impl == "pytorch":
                        line.update(settings)
                        compiled = runner.compile_seconds.get((op,) + (pixels.shape if op == "encode" else indices.shape))
                        if compiled is not None:
                            line["compile_seconds"] = compiled
                    print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
