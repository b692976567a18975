#!/usr/bin/python3
"""Single-scale SSIM from scikit-image (Debian python3-skimage), the independent check of Ssim.cs.

    /usr/bin/python3 tests/reference/ssim_skimage.py A.png B.png

skimage filters with scipy's Gaussian (sigma 1.5, truncate 3.5: an 11-tap window) in 'reflect' mode, then crops
5 pixels from every border of the SSIM map before averaging, so its mean covers exactly the pixels whose
window lies inside the image: the 'valid' region Ssim.cs averages. Channels are averaged.
"""
import sys

import numpy as np
from PIL import Image
from skimage.metrics import structural_similarity

a = np.asarray(Image.open(sys.argv[1]).convert("RGB"))
b = np.asarray(Image.open(sys.argv[2]).convert("RGB"))
value = structural_similarity(a, b, channel_axis=2, gaussian_weights=True, sigma=1.5,
                              use_sample_covariance=False, data_range=255)
print(f"ssim {value:.8f}")
