"""Compressing the 8x8 test digits: JPEG at several qualities against the autoencoder's code.

Every size is measured: each image is really encoded with Pillow, and its bytes counted. A JPEG
file carries headers (quantisation and Huffman tables) that dwarf a 64-pixel image, so the bytes of
the compressed pixel data alone are shown too. The autoencoder stores its latent code: 2 floats.
"""

from __future__ import annotations

from dataclasses import dataclass

import io

import numpy as np
import torch

from course.draw.dark import for_rendering
from course.draw.french import NBSP, decimal
from course.draw.style import COMPARE, INK, NOTE_SIZE, PALETTE, figure_width, is_narrow, new_figure
from course.figures._results import plot_axes, test_digits


def scan_bytes(jpeg: bytes) -> int:
    """Bytes of the entropy-coded pixel data: from the end of the start-of-scan header to the end marker."""
    start = jpeg.index(b"\xff\xda")
    header = int.from_bytes(jpeg[start + 2 : start + 4], "big")  # SOS segment length
    return jpeg.rindex(b"\xff\xd9") - (start + 2 + header)


def jpeg_errors(images: np.ndarray, quality: int) -> tuple[float, float, float]:
    """(mean file bytes, mean pixel-data bytes, mean squared error) of JPEG at this quality."""
    from PIL import Image

    files, scans, errors = [], [], []
    for image in images:
        encoded = io.BytesIO()
        Image.fromarray(np.round(image * 255).astype(np.uint8), mode="L").save(encoded, format="JPEG", quality=quality)
        data = encoded.getvalue()
        decoded = np.asarray(Image.open(io.BytesIO(data)), dtype=np.float32) / 255
        files.append(len(data))
        scans.append(scan_bytes(data))
        errors.append(np.mean((decoded - image) ** 2))
    return float(np.mean(files)), float(np.mean(scans)), float(np.mean(errors))


def report_sizes(ctx, images, files, scans, qualities, latent) -> None:
    """The sizes the alt text and the page quote, by name (rounded as they are read)."""
    height, width = images.shape[1:]
    ctx.fact("side", f"{height}×{width}")
    ctx.fact("raw_bytes", height * width)
    ctx.fact("file_bytes_min", int(round(files.min())))
    ctx.fact("file_bytes_max", int(round(files.max())))
    ctx.fact("header_bytes", int(round(float(np.mean(files - scans)))))
    ctx.fact("scan_bytes_min", int(round(scans.min())))
    ctx.fact("scan_bytes_max", int(round(scans.max())))
    ctx.fact("quality_min", int(min(qualities)))
    ctx.fact("quality_max", int(max(qualities)))
    ctx.fact("latent", int(latent))
    ctx.fact("code_bytes_float32", int(latent * 4))
    ctx.fact("code_bytes_float16", int(latent * 2))


def report_fair_comparison(ctx, module, scans, errors, error32, error16, latent) -> None:
    """The comparison at (nearly) equal bytes, and the decoder every reader must also hold.

    JPEG's pixel data never gets as small as the code, so the code is set beside the JPEG point
    nearest in bytes (its smallest quality). The decoder's weights, stored once, are counted in
    images' worth of that JPEG data: the code only saves space over that many images.
    """
    nearest = int(np.argmin(np.abs(scans - latent * 4)))
    ctx.fact("ae_mse", round(error32, 4))
    ctx.fact("ae_mse_float16", round(error16, 4))
    ctx.fact("jpeg_nearest_bytes", int(round(scans[nearest])))
    ctx.fact("jpeg_nearest_mse", round(float(errors[nearest]), 4))
    parameters = sum(p.numel() for p in module.decoder.parameters())
    ctx.fact("decoder_parameters", parameters)
    ctx.fact("decoder_bytes", parameters * 4)  # float32 weights
    saved = scans[nearest] - latent * 2  # bytes the float16 code saves per image over that JPEG
    ctx.fact("images_to_repay_decoder", int(np.ceil(parameters * 4 / saved)) if saved > 0 else 0)


@dataclass(frozen=True)
class Params:
    """figgen.yaml's `params:` of this figure: the values are there, the types here."""

    qualities: list[int]  # the JPEG qualities of the curve


def draw(ctx):
    qualities = ctx.params.qualities
    images, _ = test_digits()
    trained = ctx.model("autoencoder")
    flat = torch.tensor(images).flatten(1)
    with torch.no_grad():
        codes = trained.module.encode(flat)
        error32 = torch.mean((trained.module.decode(codes) - flat) ** 2).item()
        error16 = torch.mean((trained.module.decode(codes.half().float()) - flat) ** 2).item()
    latent = codes.shape[1]
    pixels = images.shape[1] * images.shape[2]  # (N, H, W): one byte per pixel, uncompressed
    measured = [jpeg_errors(images, quality) for quality in qualities]
    files, scans, errors = (np.array(column) for column in zip(*measured))
    report_sizes(ctx, images, files, scans, qualities, latent)
    report_fair_comparison(ctx, trained.module, scans, errors, error32, error16, latent)

    narrow = is_narrow(ctx)  # a phone's rendering: a taller plot, the legend under it one entry a line
    figure = new_figure(figure_width(ctx), 6.6 if narrow else 5.0)
    ax = plot_axes(figure, (0.22, 0.4, 0.74, 0.58) if narrow else (0.1, 0.3, 0.86, 0.68))
    ax.plot(files, errors, "o-", color=COMPARE["first"], label="JPEG, fichier complet")
    ax.plot(scans, errors, "o--", color=COMPARE["first"], alpha=0.6, label="JPEG, pixels seuls (sans en-têtes)")
    for index, (quality, x, y) in enumerate(zip(qualities, scans, errors)):  # on the curve where they spread out
        above = (len(qualities) - 1 - index) % 2 == 0  # alternate sides (the last above): labels never touch
        if narrow and index == len(qualities) // 2:
            above = False  # on a phone the note on the headers takes its right side
        ax.annotate(f"qualité {quality}", (x, y), xytext=(6, 3) if above else (-7, -3), textcoords="offset points",
                    ha="left" if above else "right", va="bottom" if above else "top", fontsize=NOTE_SIZE,
                    color=COMPARE["first"])
    headers = ctx.facts["header_bytes"]
    middle = len(qualities) // 2
    note = (f"fichier complet :\n≈{NBSP}{decimal(headers, 0)} octets\nd'en-têtes" if narrow
            else f"fichier JPEG complet :\n≈{NBSP}{decimal(headers, 0)} octets d'en-têtes\nà chaque fois")
    ax.annotate(note, (files[middle], errors[middle]),
                xytext=(-8, 0), textcoords="offset points", ha="right", va="center", fontsize=NOTE_SIZE,
                color=COMPARE["first"], **({"bbox": dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none")}
                                           if narrow else {}))  # over the dotted line of the raw image
    ax.plot([latent * 4], [error32], "s", color=COMPARE["second"], markersize=9,
            label=f"Autoencodeur : {latent} float32 ({latent} × 4 octets)")
    ax.plot([latent * 2], [error16], "D", color=COMPARE["second"], markersize=7, markerfacecolor="white",
            label=f"Autoencodeur : {latent} float16 ({latent} × 2 octets)")
    ax.axvline(pixels, color=PALETTE["neutral"], linestyle=":", linewidth=1.2)
    raw = f" image brute :\n {pixels} octets,\n 1 par pixel" if narrow else f" image brute :\n {pixels} octets\n (1 octet/pixel)"
    ax.text(pixels, 0.98, raw, va="top", ha="left", transform=ax.get_xaxis_transform(),
            fontsize=NOTE_SIZE, color=PALETTE["neutral"])
    ax.set_xscale("log")
    ax.set_yscale("log")
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: decimal(value, 0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: decimal(value, max(0, int(-np.floor(np.log10(value)))))))
    ax.set_xlabel("Octets par image (moyenne sur\nles images de test, mesurée)" if narrow
                  else "Octets par image (moyenne sur les images de test, mesurée)")
    ax.set_ylabel("Erreur quadratique moyenne")
    ax.legend(loc="upper left" if narrow else "upper center", bbox_to_anchor=(-0.27, -0.17) if narrow else (0.5, -0.14),
              ncols=1 if narrow else 2, frameon=False, labelcolor=INK, fontsize=NOTE_SIZE)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
