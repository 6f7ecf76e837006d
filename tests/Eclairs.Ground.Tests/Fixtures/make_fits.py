#!/usr/bin/python3
"""Writes the foreign alert FITS fixtures of the ground tests with astropy (Debian's python3-astropy 5.2.1).

Run from this folder: /usr/bin/python3 make_fits.py (Debian's python, which has python3-astropy and python3-numpy). The pixels follow a formula the tests recompute (FitsIngestTests):
snr[r, c] = (56 r + c) / 100 - 10, NaN where c < 8 (outside the field of view, mask 0); mask 1, 2 on rows 10-12 x
columns 40-42 (a known source), 3 at row 28, column 28 (the trigger pixel).
"""
import numpy as np
from astropy.io import fits

side = 56
r, c = np.mgrid[0:side, 0:side]
snr = ((side * r + c) / 100.0 - 10.0).astype(np.float32)
mask = np.ones((side, side), dtype=np.uint8)
mask[10:13, 40:43] = 2
mask[28, 28] = 3
mask[:, :8] = 0
snr[:, :8] = np.nan

# 1. Primary SNR (float32) + MASK (uint8), with trigger keywords.
primary = fits.PrimaryHDU(snr)
primary.header["DATE-OBS"] = ("2026-02-11T19:24:23.604", "trigger time (UTC)")
primary.header["BURST_ID"] = "sb26021102"
primary.header["TRIGTYPE"] = "IMT"
primary.header["PEAKSNR"] = 12.79
fits.HDUList([primary, fits.ImageHDU(mask, name="MASK")]).writeto("astropy-primary-snr.fits", overwrite=True)

# 2. Empty primary, SNR as a float64 extension named SNR, MASK as int16.
fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(snr.astype(np.float64), name="SNR"), fits.ImageHDU(mask.astype(np.int16), name="MASK")]) \
    .writeto("astropy-extensions.fits", overwrite=True)

# 3. Refused: a mask value of 5.
bad = mask.copy()
bad[3, 30] = 5
fits.HDUList([fits.PrimaryHDU(snr), fits.ImageHDU(bad, name="MASK")]).writeto("astropy-mask-5.fits", overwrite=True)

# 4. Refused: NaN where the mask is 1.
nan = snr.copy()
nan[40, 40] = np.nan
fits.HDUList([fits.PrimaryHDU(nan), fits.ImageHDU(mask, name="MASK")]).writeto("astropy-nan-in-field.fits", overwrite=True)

# 5. Refused: a 60 x 60 image.
fits.HDUList([fits.PrimaryHDU(np.zeros((60, 60), np.float32)), fits.ImageHDU(np.ones((60, 60), np.uint8), name="MASK")]) \
    .writeto("astropy-60x60.fits", overwrite=True)
