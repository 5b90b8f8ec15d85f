"""Make an image-only ("scanned") PDF from pages of a real PDF, for the OCR tests.

Each page is rendered with pdfium at the given resolution, turned grayscale, JPEG-compressed
and saved by Pillow as one image per page: the result has no text layer, like a scanner's
output, and its pages keep the original's size in points (so boxes can be compared with the
original's character boxes). Nothing is added to imitate scanner noise or skew: the test
material is the clean worst case for text (no text layer) and the best case for the image.

Usage:
    python3 scripts/make_scanned_pdf.py SOURCE.pdf OUTPUT.pdf --pages 1 4 5 [--dpi 200] [--quality 70]

The committed files were made with:
    python3 scripts/make_scanned_pdf.py tests/data/documents/huaian-2024.pdf \\
        tests/data/documents/scanned-huaian-2024-p1.pdf --pages 1
    python3 scripts/make_scanned_pdf.py tests/data/documents/huaian-2024.pdf \\
        tests/data/documents/scanned-huaian-2024-p4-5.pdf --pages 4 5
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pypdfium2
from PIL import Image


def page_images(source: Path, pages: list[int], dpi: int) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(str(source))
    try:
        images = []
        for number in pages:
            if not 1 <= number <= len(document):
                raise SystemExit(f"{source} has {len(document)} pages, not {number}")
            bitmap = document[number - 1].render(scale=dpi / 72, grayscale=True)
            images.append(bitmap.to_pil().convert("L"))
        return images
    finally:
        document.close()


def write_scanned_pdf(images: list[Image.Image], output: Path, dpi: int, quality: int) -> None:
    # Pillow writes an "L" image as one DCTDecode (JPEG) XObject per page; the page size is
    # the image size at `resolution` dots per inch.
    first, *rest = images
    first.save(output, "PDF", resolution=dpi, quality=quality, save_all=True, append_images=rest,
               title="scanned", producer="make_scanned_pdf.py")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--pages", type=int, nargs="+", required=True, help="1-based page numbers")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--quality", type=int, default=70, help="JPEG quality")
    arguments = parser.parse_args(argv)
    images = page_images(arguments.source, arguments.pages, arguments.dpi)
    write_scanned_pdf(images, arguments.output, arguments.dpi, arguments.quality)
    print(f"{arguments.output}: {len(images)} pages, {arguments.output.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
