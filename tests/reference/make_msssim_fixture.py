#!/usr/bin/python3
"""Writes the MS-SSIM test fixtures (tests/Grid.Runtime.Tests/Fixtures/Evaluation): a 192x192 natural-looking
image (1/f^2 colour noise with hard-edged shapes, as in photos: smooth regions, texture, edges) and its JPEG
version (PIL, quality 12, 4:2:0), both as PNG. Deterministic; committed outputs are what the tests read.

    /usr/bin/python3 tests/reference/make_msssim_fixture.py
"""
import io
import pathlib

import numpy as np
from PIL import Image

SIZE = 192
OUT = pathlib.Path(__file__).resolve().parent.parent / "Grid.Runtime.Tests" / "Fixtures" / "Evaluation"


def pink_noise(rng, size, exponent):
    """Real noise whose amplitude spectrum falls as 1/f^exponent, scaled to zero mean and unit deviation."""
    fy = np.fft.fftfreq(size)[:, None]
    fx = np.fft.rfftfreq(size)[None, :]
    f = np.sqrt(fx * fx + fy * fy)
    f[0, 0] = 1.0
    spectrum = (rng.normal(size=f.shape) + 1j * rng.normal(size=f.shape)) / f**exponent
    spectrum[0, 0] = 0
    field = np.fft.irfft2(spectrum, s=(size, size))
    return (field - field.mean()) / field.std()


def main():
    rng = np.random.default_rng(20031109)
    base = pink_noise(rng, SIZE, 1.9)
    image = np.stack([110 + 45 * base + 7 * pink_noise(rng, SIZE, 1.5) for _ in range(3)], axis=2)
    image[..., 2] -= 25 * base  # channels correlated but not equal, as in photos
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    disc = (xx - 60) ** 2 + (yy - 130) ** 2 < 35**2
    image[disc] = image[disc] * 0.4 + np.array([200, 150, 60]) * 0.6
    bar = (xx > 110) & (xx < 170) & (yy > 25) & (yy < 80)
    image[bar] = image[bar] * 0.3 + np.array([30, 60, 170]) * 0.7
    stripes = (yy > 150) & (xx > 120) & ((xx // 3) % 2 == 0)
    image[stripes] += 40
    image = np.clip(np.rint(image), 0, 255).astype(np.uint8)

    OUT.mkdir(parents=True, exist_ok=True)
    original = Image.fromarray(image, "RGB")
    original.save(OUT / "natural-192.png", optimize=True)
    buffer = io.BytesIO()
    original.save(buffer, format="JPEG", quality=12, subsampling=2)
    buffer.seek(0)
    Image.open(buffer).convert("RGB").save(OUT / "natural-192-jpeg-q12.png", optimize=True)


if __name__ == "__main__":
    main()
