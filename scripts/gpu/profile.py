#!/usr/bin/env python3
"""Short profile for scripts/gpu/device-check.sh: where the native library's encode and decode time goes on the
device, and what fraction of the GPU's peak the model reaches.

Loads libgrid_native.so into this process (it shares this PyTorch's libtorch, so torch.profiler sees its kernels),
times host-to-host encode/decode of batch x size x size images, derives TFLOP/s from the model's multiply-adds
(counted from the architecture, 2 FLOPs each) and prints torch.profiler's top kernels for each op.
  profile.py --native .gpu/native-build/libgrid_native.so --device cuda --precision bf16 --size 256 --batch 256
Peak: --peak-tflops, else 989 (H100/H200 dense bf16) when the device name says H100 or H200."""
import argparse
import importlib.util
import json
import os
import time

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_pytorch", os.path.join(here, "..", "bench_pytorch.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def model_flops(height, width, hidden=128, residual=32, blocks=2, dim=64, codes=512):
    """FLOPs (2 per multiply-add) of encode (with the nearest-code product) and decode for one image."""
    h2, w2, h4, w4 = height // 2, width // 2, height // 4, width // 4
    conv = lambda cin, cout, k, h, w: 2 * cin * cout * k * k * h * w
    stack = blocks * (conv(hidden, residual, 3, h4, w4) + conv(residual, hidden, 1, h4, w4))
    encode = (conv(3, hidden // 2, 4, h2, w2) + conv(hidden // 2, hidden, 4, h4, w4) + conv(hidden, hidden, 3, h4, w4)
              + stack + conv(hidden, dim, 1, h4, w4) + 2 * dim * codes * h4 * w4)
    # Transposed convolutions: every input pixel meets the whole 4x4 kernel.
    decode = (conv(dim, hidden, 3, h4, w4) + stack + conv(hidden, hidden // 2, 4, h4, w4)
              + conv(hidden // 2, 3, 4, h2, w2))
    return encode, decode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--native", required=True)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--precision", default="bf16")
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--max-batch", type=int, default=0)
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--peak-tflops", type=float)
    args = parser.parse_args()
    cuda = args.device.startswith("cuda")
    native = bench.NativeCodec(args.native, os.cpu_count() or 1, args.device, args.precision, args.max_batch)
    pixels = bench.make_images(args.batch, args.size, 7)
    indices = np.empty((args.batch, args.size // 4, args.size // 4), dtype=np.uint16)
    decoded = np.empty_like(pixels)
    native.encode(pixels, indices)
    native.decode(indices, decoded)
    name = torch.cuda.get_device_name() if cuda else "cpu"
    peak = args.peak_tflops or (989.0 if ("H100" in name or "H200" in name) else None)
    encode_flops, decode_flops = model_flops(args.size, args.size)
    for op, call, flops in (("encode", lambda: native.encode(pixels, indices), encode_flops),
                            ("decode", lambda: native.decode(indices, decoded), decode_flops)):
        call()
        start = time.perf_counter()
        for _ in range(args.calls):
            call()
        seconds = (time.perf_counter() - start) / args.calls
        tflops = flops * args.batch / seconds / 1e12
        print(json.dumps({"check": "profile", "op": op, "device": name, "precision": args.precision,
                          "size": args.size, "batch": args.batch, "max_batch": args.max_batch,
                          "images_per_s": round(args.batch / seconds, 1), "gflop_per_image": round(flops / 1e9, 3),
                          "tflops": round(tflops, 2),
                          "fraction_of_peak": round(tflops / peak, 4) if peak else None, "peak_tflops": peak}),
              flush=True)
        activities = [torch.profiler.ProfilerActivity.CPU]
        if cuda:
            activities.append(torch.profiler.ProfilerActivity.CUDA)
        with torch.profiler.profile(activities=activities) as profiler:
            for _ in range(2):
                call()
        sort = "cuda_time_total" if cuda else "cpu_time_total"
        try:
            table = profiler.key_averages().table(sort_by=sort, row_limit=18)
        except Exception:  # newer releases name it device_time_total
            table = profiler.key_averages().table(sort_by="device_time_total" if cuda else sort, row_limit=18)
        print(f"--- {op}: top operators by {sort} over 2 calls")
        print(table, flush=True)


if __name__ == "__main__":
    main()
