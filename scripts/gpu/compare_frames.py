#!/usr/bin/env python3
"""Cross-device decode check of scripts/gpu/device-check.sh: in DIR, NAME.DEV.vqf / NAME.cpu.vqf frames and their
decodes NAME.X-on-Y.ppm. Prints one JSON line per image: whether the frames of the two devices are identical, and
the PSNR between decodes of the same frame on the two devices (inf: identical pixels)."""
import glob
import json
import math
import os
import sys

import numpy as np


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, offset = [], 0
    while len(fields) < 4:
        while data[offset:offset + 1].isspace():
            offset += 1
        if data[offset:offset + 1] == b"#":
            offset = data.index(b"\n", offset) + 1
            continue
        end = offset
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[offset:end])
        offset = end
    offset += 1
    width, height = int(fields[1]), int(fields[2])
    return np.frombuffer(data, dtype=np.uint8, count=width * height * 3, offset=offset).reshape(height, width, 3)


def psnr(a, b):
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255 ** 2 / mse)


def main():
    directory, device = sys.argv[1], sys.argv[2]
    for frame in sorted(glob.glob(os.path.join(directory, f"*.{device}.vqf"))):
        name = os.path.basename(frame)[:-len(f".{device}.vqf")]
        path = lambda suffix: os.path.join(directory, f"{name}.{suffix}")
        with open(frame, "rb") as f:
            ours = f.read()
        with open(path("cpu.vqf"), "rb") as f:
            theirs = f.read()
        row = {"check": "cross_device", "image": name, "device": device, "frames_identical": ours == theirs,
               "frame_bytes": len(ours), "frame_bytes_differing": sum(a != b for a, b in zip(ours, theirs))}
        for frame_from in (device, "cpu"):
            a = read_ppm(path(f"{frame_from}-on-cpu.ppm"))
            b = read_ppm(path(f"{frame_from}-on-{device}.ppm"))
            value = psnr(a, b)
            row[f"{frame_from}_frame_decoded_cpu_vs_{device}_psnr"] = "inf" if math.isinf(value) else round(value, 2)
            row[f"{frame_from}_frame_decoded_cpu_vs_{device}_max_abs"] = int(np.abs(a.astype(int) - b.astype(int)).max())
        print(json.dumps(row))


if __name__ == "__main__":
    main()
