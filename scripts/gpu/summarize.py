#!/usr/bin/env python3
"""Gathers the figures of one scripts/gpu/device-check.sh run (the logs in OUT) into a markdown summary."""
import json
import os
import sys


def objects(path):
    """Every JSON object in a log: one per line, or one document spanning lines."""
    if not os.path.exists(path):
        return []
    text = open(path, errors="replace").read()
    found, decoder, index = [], json.JSONDecoder(), 0
    while True:
        index = text.find("{", index)
        if index < 0:
            return found
        try:
            value, end = decoder.raw_decode(text, index)
            if isinstance(value, dict):
                found.append(value)
            index = end
        except ValueError:
            index += 1


def main():
    out = sys.argv[1]
    log = lambda name: os.path.join(out, name + ".log")
    print("# GPU device check summary\n")
    print("| step | status | seconds |\n|---|---|---|")
    with open(os.path.join(out, "steps.tsv")) as steps:
        next(steps)
        for line in steps:
            name, status, seconds = line.rstrip("\n").split("\t")
            label = {"0": "ok", "124": "TIMED OUT"}.get(status, status if not status.isdigit() else f"failed ({status})")
            print(f"| {name} | {label} | {seconds} |")
    for title, name in (("grid bench codec vs eager PyTorch (yardstick per its flags)", "bench-codec-eager"),
                        ("grid bench codec vs torch.compile PyTorch", "bench-codec-compiled")):
        rows = [o for o in objects(log(name)) if "op" in o and "images_per_s" in o]
        if rows:
            print(f"\n## {title}\n\n| op | size | batch | grid img/s | PyTorch img/s | grid / PyTorch |\n|---|---|---|---|---|---|")
            for r in rows:
                print(f"| {r['op']} | {r['size']} | {r['batch']} | {r['images_per_s']} | {r.get('pytorch_images_per_s')} | {r.get('ratio')} |")
    psnr = {}
    for name in ("psnr-device", "psnr-cpu"):
        found = [o for o in objects(log(name)) if "mean_psnr" in o]
        if found:
            psnr[name] = found[-1]["mean_psnr"]
    if psnr:
        print("\n## Held-out PSNR\n")
        for name, value in psnr.items():
            print(f"- {name}: {value} dB")
        if len(psnr) == 2:
            gap = psnr["psnr-device"] - psnr["psnr-cpu"]
            print(f"- device - cpu: {gap:+.3f} dB ({'within' if abs(gap) <= 0.05 else 'OUTSIDE'} 0.05 dB)")
    for title, name, key in (("Cross-device decode", "cross-device", "cross_device"),
                             ("Native batch/thread invariance and pass-size sweep", "native-checks", None),
                             ("Profile (native library in-process)", "profile", "profile"),
                             ("Silo under concurrent clients vs in-process", "silo", None)):
        rows = [o for o in objects(log(name)) if key is None or o.get("check") == key]
        if rows:
            print(f"\n## {title}\n\n```")
            for r in rows:
                print(json.dumps(r))
            print("```")


if __name__ == "__main__":
    main()
