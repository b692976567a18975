#!/usr/bin/python3
"""Reference MS-SSIM (Wang, Simoncelli, Bovik 2003) in plain numpy, float64, written separately from the C#
implementation to check it (tests/Grid.Runtime.Tests/Evaluation/MsSsimTests.cs asserts the printed values).

Conventions, those of pytorch-msssim (what CompressAI-style evaluations use on RGB):
  * per channel on 8-bit values (data range 255), averaged over the R, G, B results;
  * 11x11 Gaussian window, sigma 1.5, 'valid' filtering (no padding: maps are (H-10) x (W-10));
  * C1 = (0.01*255)^2, C2 = (0.03*255)^2; contrast-structure (cs) means at scales 1..4, full SSIM at scale 5,
    negative values clamped to 0, weights (0.0448, 0.2856, 0.3001, 0.2363, 0.1333);
  * 2x2 average pooling between scales; an odd side gets one zero row/column on each side first, counted in
    the average (torch avg_pool2d(kernel 2, stride 2, padding=side % 2)), so the new side is ceil(side / 2).

    /usr/bin/python3 tests/reference/msssim_reference.py A.png B.png [WIDTH HEIGHT]

prints MS-SSIM and single-scale SSIM of A against B (optionally of their top-left WIDTH x HEIGHT crops).
"""
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from PIL import Image

WEIGHTS = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])
C1 = (0.01 * 255) ** 2
C2 = (0.03 * 255) ** 2


def gaussian(size=11, sigma=1.5):
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2
    g = np.exp(-(x**2) / (2 * sigma**2))
    return g / g.sum()


def blur_valid(plane, g):
    rows = sliding_window_view(plane, g.size, axis=1) @ g
    return sliding_window_view(rows, g.size, axis=0) @ g


def ssim_and_cs(x, y, g):
    mx, my = blur_valid(x, g), blur_valid(y, g)
    vx = blur_valid(x * x, g) - mx * mx
    vy = blur_valid(y * y, g) - my * my
    cxy = blur_valid(x * y, g) - mx * my
    cs = (2 * cxy + C2) / (vx + vy + C2)
    luminance = (2 * mx * my + C1) / (mx * mx + my * my + C1)
    return (luminance * cs).mean(), cs.mean()


def pool2(plane):
    ph, pw = plane.shape[0] % 2, plane.shape[1] % 2
    padded = np.pad(plane, ((ph, ph), (pw, pw)))
    h, w = padded.shape[0] // 2 * 2, padded.shape[1] // 2 * 2
    return padded[:h, :w].reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))


def ms_ssim_channel(x, y, g):
    factors = []
    for scale in range(5):
        ssim, cs = ssim_and_cs(x, y, g)
        if scale < 4:
            factors.append(max(cs, 0.0))
            x, y = pool2(x), pool2(y)
        else:
            factors.append(max(ssim, 0.0))
    return float(np.prod(np.array(factors) ** WEIGHTS))


def main():
    a = np.asarray(Image.open(sys.argv[1]).convert("RGB"), dtype=np.float64)
    b = np.asarray(Image.open(sys.argv[2]).convert("RGB"), dtype=np.float64)
    if len(sys.argv) > 3:
        width, height = int(sys.argv[3]), int(sys.argv[4])
        a, b = a[:height, :width], b[:height, :width]
    g = gaussian()
    ms = np.mean([ms_ssim_channel(a[..., c], b[..., c], g) for c in range(3)])
    ss = np.mean([ssim_and_cs(a[..., c], b[..., c], g)[0] for c in range(3)])
    print(f"ms_ssim {ms:.8f}")
    print(f"ssim {ss:.8f}")


if __name__ == "__main__":
    main()
