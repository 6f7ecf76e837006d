#!/usr/bin/python3
"""Writes the foreign alert FITS fixtures of ForeignAlertFitsTests with astropy (Debian bookworm: astropy 5.2.1,
numpy 1.24.2), as another team's tools would, and the answers computed here with numpy, independently of the C#
reader: expected/<file>.snr.npy and expected/<file>.mask.npy for every file that must import, and expected.csv
(file, status, problem) for every file of alerts/.

Run from this folder:  /usr/bin/python3 make_foreign_fits.py
"""
import csv
import gzip
import os
import shutil

import numpy as np
from astropy.io import fits

SIDE = 56
C = SIDE // 2  # trigger pixel, 0-based row and column
OUT = "alerts"
EXP = "expected"
rng = np.random.RandomState(20)
expected = []  # (file, status, problem)


def snr_image(peak=8.5, nan_corner=True, dtype=np.float32):
    img = rng.normal(0.0, 1.0, (SIDE, SIDE)).astype(dtype)
    img[C, C] = peak
    if nan_corner:
        rows, cols = np.mgrid[0:SIDE, 0:SIDE]
        img[(rows + cols) < 20] = np.nan          # a corner outside the field of view
    return img


def mask_from(img, trigger=(C, C), sources=(), radius=3.0):
    """The deck's mask as the format description defines it: 0 where NaN, 2 within radius of a known source
    (FITS pixel (c+1, r+1) against the 1-based source position), 3 at the trigger."""
    m = np.where(np.isnan(img), 0, 1).astype(np.uint8)
    rows, cols = np.mgrid[0:SIDE, 0:SIDE]
    for (x, y, r) in sources:
        r = radius if r is None else r
        inside = ((cols + 1 - x) ** 2 + (rows + 1 - y) ** 2) <= r * r
        m[inside & (m != 0)] = 2
    m[trigger] = 3
    return m


def save(name, hdul, status="imported", problem="", snr=None, mask=None):
    path = os.path.join(OUT, name)
    hdul.writeto(path, overwrite=True, checksum=False)
    record(name, status, problem, snr, mask)


def record(name, status, problem, snr=None, mask=None):
    expected.append((name, status, problem))
    if snr is not None:
        np.save(os.path.join(EXP, name + ".snr.npy"), snr.astype("<f4"))
        np.save(os.path.join(EXP, name + ".mask.npy"), mask.astype(np.uint8))


for d in (OUT, EXP):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)

# 1. The plainest form: a float32 SNR image, NaN outside the field, no keywords at all (label from labels.csv).
img = snr_image()
save("plain-nan.fits", fits.HDUList([fits.PrimaryHDU(img)]), snr=img, mask=mask_from(img))

# 2. astropy's default float64 image, trigger and two known sources from keywords, label and cause as words.
img = snr_image(peak=11.25, dtype=np.float64)
p = fits.PrimaryHDU(img)
p.header["TRIGX"] = (29, "trigger column, FITS pixel")
p.header["TRIGY"] = (29, "trigger row, FITS pixel")
p.header["NKNOWN"] = 2
p.header["KNOWNRAD"] = 2.5
p.header["KNOWN1X"], p.header["KNOWN1Y"] = 40.3, 12.6          # radius from KNOWNRAD
p.header["KNOWN2X"], p.header["KNOWN2Y"], p.header["KNOWN2R"] = 10.0, 50.0, 4.0
p.header["LABEL"] = "true"
p.header["CAUSENAM"] = "Burst near known source"
p.header["SKY_Y"], p.header["SKY_Z"] = 101.5, 87.25
save("keywords-float64.fits", fits.HDUList([p]), snr=img.astype(np.float32),
     mask=mask_from(img, sources=[(40.3, 12.6, None), (10.0, 50.0, 4.0)], radius=2.5))

# 3. Empty primary holding the metadata, SNR and an int16 MASK as named image extensions.
img = snr_image(peak=7.0)
m = mask_from(img, sources=[(15.0, 15.0, 3.0)])
p = fits.PrimaryHDU()
p.header["LABEL"] = 0
p.header["CAUSE"] = 12
p.header["TELESCOP"] = "SVOM"
save("extensions-int16-mask.fits",
     fits.HDUList([p, fits.ImageHDU(img, name="SNR"), fits.ImageHDU(m.astype(np.int16), name="MASK")]), snr=img, mask=m)

# 4. A MASK extension without a trigger value (0/1/2 only), trigger from keywords at the centre; a 56x56x1 cube.
img = snr_image(peak=9.0)
m = mask_from(img)
m_no3 = m.copy()
m_no3[C, C] = 1
h = fits.PrimaryHDU(img.reshape(1, SIDE, SIDE))
h.header["TRIGX"], h.header["TRIGY"] = 29.2, 28.8       # rounded to pixel (29, 29)
h.header["LABEL"] = True
save("cube-mask-without-trigger.fits", fits.HDUList([h, fits.ImageHDU(m_no3, name="MASK")]), snr=img, mask=m)

# 5. Gzip-compressed copy of a plain image (labelled through labels.csv with a comment).
img = snr_image(peak=6.9)
path = os.path.join(OUT, "gzipped.fits.gz")
with gzip.open(path, "wb") as f:
    fits.HDUList([fits.PrimaryHDU(img)]).writeto(f)
record("gzipped.fits.gz", "imported", "", img, mask_from(img))

# 6. Off-centre trigger: refused by default, recentred with --recentre (ForeignAlertFitsTests checks the shift).
img = snr_image(peak=10.0, nan_corner=False)
h = fits.PrimaryHDU(img)
h.header["TRIGX"], h.header["TRIGY"] = 21, 33                # 0-based row 32, column 20
h.header["LABEL"] = 1
save("off-centre.fits", fits.HDUList([h]), "refused", "trigger-off-centre")
r_img = np.full((SIDE, SIDE), np.nan, dtype=np.float32)
r_mask = np.zeros((SIDE, SIDE), dtype=np.uint8)
src_m = mask_from(img, trigger=(32, 20))
dr, dc = 32 - C, 20 - C
for r in range(SIDE):
    for c in range(SIDE):
        if 0 <= r + dr < SIDE and 0 <= c + dc < SIDE:
            r_img[r, c] = img[r + dr, c + dc]
            r_mask[r, c] = src_m[r + dr, c + dc]
np.save(os.path.join(EXP, "off-centre.fits.recentred.mask.npy"), r_mask)
np.save(os.path.join(EXP, "off-centre.fits.recentred.snr.npy"), r_img)

# 7. Refusals, one per kind.
save("wrong-shape.fits", fits.HDUList([fits.PrimaryHDU(rng.normal(size=(64, 64)).astype(np.float32))]), "refused", "image-shape")
save("integer-image.fits", fits.HDUList([fits.PrimaryHDU((snr_image(nan_corner=False) * 100).astype(np.int16))]), "refused", "image-type")
bad = mask_from(snr_image(nan_corner=False)); bad[3, 4] = 7
save("mask-value-7.fits", fits.HDUList([fits.PrimaryHDU(snr_image(nan_corner=False)), fits.ImageHDU(bad, name="MASK")]), "refused", "mask-value")
two = mask_from(snr_image(nan_corner=False)); two[10, 10] = 3
save("two-triggers.fits", fits.HDUList([fits.PrimaryHDU(snr_image(nan_corner=False)), fits.ImageHDU(two, name="MASK")]), "refused", "trigger-pixel")
img = snr_image(); img[C, C] = np.nan
save("trigger-nan.fits", fits.HDUList([fits.PrimaryHDU(img)]), "refused", "trigger-outside-field")
img = snr_image(); img[40, 41] = np.inf
save("infinite-snr.fits", fits.HDUList([fits.PrimaryHDU(img)]), "refused", "snr-value")
img = snr_image()
ones = np.ones((SIDE, SIDE), dtype=np.uint8); ones[C, C] = 3
save("nan-where-mask-1.fits", fits.HDUList([fits.PrimaryHDU(img), fits.ImageHDU(ones, name="MASK")]), "refused", "snr-value")
h = fits.PrimaryHDU(snr_image()); h.header["KNOWN1X"] = 12.0
save("known-source-without-y.fits", fits.HDUList([h]), "refused", "known-source")
h = fits.PrimaryHDU(snr_image()); h.header["LABEL"] = "maybe"
save("label-maybe.fits", fits.HDUList([h]), "refused", "keyword")
save("no-label.fits", fits.HDUList([fits.PrimaryHDU(snr_image(peak=7.7))]), "refused", "label")
cols = fits.ColDefs([fits.Column(name="x", format="E", array=np.arange(3, dtype=np.float32))])
save("table-only.fits", fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU.from_columns(cols)]), "refused", "no-image")
# labelled with a word labels.csv does not know
save("csv-label-bad.fits", fits.HDUList([fits.PrimaryHDU(snr_image(peak=8.8))]), "refused", "label")
# the same pixels as plain-nan.fits under another name
shutil.copyfile(os.path.join(OUT, "plain-nan.fits"), os.path.join(OUT, "replica-of-plain-nan.fits"))
record("replica-of-plain-nan.fits", "refused", "duplicate")
good = open(os.path.join(OUT, "no-label.fits"), "rb").read()
open(os.path.join(OUT, "truncated.fits"), "wb").write(good[:2880 + 1000])
record("truncated.fits", "refused", "structure")
open(os.path.join(OUT, "not-really.fits"), "w").write("SIMPLE = this is not a FITS file\n")
record("not-really.fits", "refused", "structure")
open(os.path.join(OUT, "README.txt"), "w").write("alerts from the test bench\n")
record("README.txt", "ignored", "")

# 8. The verdicts, as a labelling team writes them (header, quotes, a comma in a comment, a cause word we do not
#    know, a row for a file that is not there). Wins over LABEL keywords.
with open("labels.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["file", "label", "cause", "comment"])
    w.writerow(["plain-nan.fits", "false", "SAA", "surge, then quiet"])
    w.writerow(["replica-of-plain-nan.fits", "false", "saa", ""])
    w.writerow(["gzipped.fits.gz", "TRUE", "", 'BA said "clear"'])
    w.writerow(["extensions-int16-mask.fits", "false", "ghost of Sco X-1", ""])
    w.writerow(["csv-label-bad.fits", "perhaps", "", ""])
    w.writerow(["not-here.fits", "true", "burst", ""])
with open("expected.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["file", "status", "problem"])
    for row in sorted(expected):
        w.writerow(row)
print(f"{len(expected)} files written to {OUT}/")
