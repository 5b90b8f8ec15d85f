"""Text of scanned PDF pages: the page image through an OCR engine, back as lines with boxes.

A page with no text layer is rendered with pdfium at 200 dpi (grayscale), recognised with
RapidOCR (PP-OCRv4 detection and recognition models run by onnxruntime, shipped inside the
``rapidocr-onnxruntime`` wheel: nothing is downloaded) and returned as :class:`OcrLine`\\ s in
reading order, each with one box in PDF points and one confidence per character.

Why this engine. ``scripts/measure_ocr.py`` on the committed scanned pages (200 dpi image-only
renderings of pages 1, 4 and 5 of huaian-2024.pdf: prose, then the application table), against
the original's text layer; accuracy is 1 - edit distance / length (NFKC, white space removed),
"numbers" the share of the page's numbers found in any order; seconds per page on two cores
shared with other work (the range over several runs), memory the process's peak:

=======================  =======  =========  ======  ======  ======  =======
engine                   page     seconds    memory  chars   digits  numbers
=======================  =======  =========  ======  ======  ======  =======
RapidOCR, as run here    1 prose  6–15       1.1 GB  99.8%   100%    100%
                         4 table  5–13               99.4%   99.4%   98.9%
                         5 table  6–17               99.6%   100%    100%
RapidOCR, its defaults   1 prose  10–12      0.9 GB  94.2%   95.2%   95.0%
                         4 table  5–11               93.8%   86.5%   77.9%
                         5 table  5–15               99.1%   97.2%   96.1%
tesseract 5.3 chi_sim,   1 prose  6–12       0.1 GB  98.8%   98.4%   95.0%
``--psm 3`` (``4`` and   4 table  5–14               88.4%   94.8%   92.6%
``6`` do no better)      5 table  6–17               83.0%   80.0%   77.7%
=======================  =======  =========  ======  ======  ======  =======

On tables, which the rules check number by number, RapidOCR finds 99–100% of the numbers
(the one it gets wrong on page 4 is a lone "1" read as "一") and tesseract 78–93% (``--psm 4``
85–91%; ``--psm 6`` reads a table page as a few lines and finds under 10%). RapidOCR installs
from PyPI on every platform (onnxruntime, opencv-python, numpy: about 350 MB; its wheel needs
Python < 3.13); tesseract is a system package pip cannot install, far lighter in memory but
worse exactly where it matters.

Three settings differ from the library's defaults, each worth its figures above: the image is
not shrunk to 2000 pixels before detection (that lost a fifth of page 4's numbers); the
per-line angle classifier is off (it turned a justified prose line of page 1 upside down,
losing it; report lines are upright, and a page scanned upside down is not turned round); the
detection thresholds are lower (0.2 and 0.3 for 0.3 and 0.5: without, lone "1"s in table cells
are missed, 96.8% of page 4's numbers found). The recognised characters' boxes lie a median
0.7 pt (tables) to 1.6 pt (prose) from the original's, 95% of them within 3.5 pt.

Bounds. The rendered image is capped at :data:`MAX_PIXELS` (and :data:`MAX_SIDE` pixels a
side): a larger page is rendered at a lower resolution, so a huge page size costs no more
than an A4 page (about 1 GB at the peak, the detection network's, in proportion to the
pixels). The time is checked against ``limits.max_seconds`` before rendering and after
recognition.

Characters and boxes. The recogniser reads a text line from left to right and says at which
of its columns each character was read; RapidOCR turns those positions into one box per
character (Chinese characters one by one, letters and digits too). Where it gives none, or
not one per character, the line's box is split in proportion to display width: a CJK
character (and full-width punctuation) two parts, any other character one — an
approximation, since a digit in a Chinese font is about half a character wide but a letter
varies. A character's confidence is the recogniser's probability for it (the line's score
where there is none).

Lines and gaps. Detection gives one box per run of text: a whole line of prose, but one box
per table cell. Boxes whose vertical extents overlap (after removing the page's skew,
estimated from the long boxes) form one visual line, read left to right; lines go top to
bottom. Each run is placed at the display column of its left edge, counting the page's
median width of a display column (half a Chinese character) from the leftmost text, as
``pdftotext -layout`` pads text: the columns of a table keep their gaps, with at least two
spaces between two runs more than half a character apart and one space otherwise. The spaces
of a gap share its box equally and have confidence 1 (they are layout, not recognised text).
"""

from __future__ import annotations

import importlib.util
import math
import statistics
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from nianbao.read.assemble import Box
from nianbao.read.source import ReadError

if TYPE_CHECKING:
    from nianbao.read.formats import ReadLimits

__all__ = ["MAX_PIXELS", "MAX_SIDE", "RESOLUTION", "Box", "OcrLine", "ocr_available", "recognize_page"]

RESOLUTION = 200
"""Dots per inch a page is rendered at: Chinese text of 10.5 pt is then about 29 pixels high,
where the recogniser reads it best (150 dpi lost digits in the table, 300 dpi gained none)."""
MAX_PIXELS = 4_500_000
"""An A4 page at 200 dpi is 3.9 million pixels; a larger page is rendered at a lower resolution."""
MAX_SIDE = 4000

_ENGINE_PACKAGE = "rapidocr_onnxruntime"
_NEEDED_PACKAGES = (_ENGINE_PACKAGE, "onnxruntime", "cv2", "numpy", "pypdfium2")
# Detection thresholds below the library's (0.3 and 0.5): a lone "1" in a table cell is
# otherwise often missed (page 4: 96.8% of the numbers found, 98.9% with these).
_DETECTION_THRESHOLD = 0.2
_BOX_THRESHOLD = 0.3
# A skew beyond this is not a scanner's: leave such pages as they are.
_MAX_SKEW_DEGREES = 5.0
# Boxes at least this many times as wide as high tell the page's skew.
_SKEW_BOX_RATIO = 4.0


@dataclass(frozen=True)
class OcrLine:
    """One visual line of a scanned page: its text, with runs of spaces for the gaps between
    words and table cells, and one box (PDF points from the page's top left) and one
    confidence (0–1) per character of ``text``."""

    text: str
    boxes: tuple[Box, ...]
    confidences: tuple[float, ...]


@dataclass
class _Run:
    """A detected run of text: its characters with their boxes (points) and confidences."""

    text: str
    boxes: list[Box]
    confidences: list[float]
    bounds: Box
    level: float = 0.0
    """Vertical centre with the page's skew removed."""
    top: float = 0.0
    bottom: float = 0.0
    """Vertical extent with the skew removed."""


@lru_cache(maxsize=1)
def ocr_available() -> bool:
    """Whether the OCR engine and its models are installed (without importing them)."""
    if any(importlib.util.find_spec(name) is None for name in _NEEDED_PACKAGES):
        return False
    spec = importlib.util.find_spec(_ENGINE_PACKAGE)
    folders = list(spec.submodule_search_locations or [])
    return bool(folders) and all(any((Path(folder) / "models").glob(f"*{part}*.onnx") for folder in folders)
                                 for part in ("det", "rec"))


@lru_cache(maxsize=1)
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR

        return RapidOCR(max_side_len=MAX_SIDE, use_cls=False, det_thresh=_DETECTION_THRESHOLD)
    except (ImportError, OSError, RuntimeError) as error:  # a missing system library of OpenCV or onnxruntime
        raise ReadError(
            f"扫描页的文字识别引擎无法启动（{type(error).__name__}）：请重新安装 nianbao 的 ocr 扩展：pip install 'nianbao[ocr]'",
            "needs-extra",
        ) from None


def recognize_page(page: Any, limits: ReadLimits, deadline: float | None = None) -> list[OcrLine]:
    """The text lines of a pdfplumber page that has no text layer, in reading order.

    ``deadline`` (a :func:`time.monotonic` value) lets a reader share one time budget among
    its pages; without it the page gets ``limits.max_seconds`` of its own.
    """
    if deadline is None:
        deadline = time.monotonic() + limits.max_seconds
    if not ocr_available():
        raise ReadError("这一页是扫描图像，识别其中的文字需要安装 nianbao 的 ocr 扩展：pip install 'nianbao[ocr]'",
                        "needs-extra")
    engine = _engine()
    _check_time(page, limits, deadline)
    image, scale_x, scale_y = _render(page)
    if image is None:
        return []
    _check_time(page, limits, deadline)
    try:
        found, _ = engine(image, return_word_box=True, box_thresh=_BOX_THRESHOLD)
    except MemoryError:
        raise
    except Exception as error:  # the engine's own failures (OpenCV, onnxruntime) have no common type
        raise ReadError(f"第{page.page_number}页扫描图像的文字识别失败（{type(error).__name__}）", "damaged") from None
    _check_time(page, limits, deadline)
    left, top = page.cropbox[0], page.cropbox[1]

    def to_points(x: float, y: float) -> tuple[float, float]:
        return left + x / scale_x, top + y / scale_y

    runs = [_run(item, to_points) for item in found or () if str(item[1]).strip()]
    runs = [run for run in runs if _inside(run.bounds, page.bbox)]
    return _layout(runs, _skew(found or ()) if runs else 0.0)


def _check_time(page: Any, limits: ReadLimits, deadline: float) -> None:
    if time.monotonic() > deadline:
        raise ReadError(
            f"第{page.page_number}页是扫描图像，文字识别超过 {limits.max_seconds:g} 秒仍未完成，已停止读取",
            "timeout",
        )


def _render(page: Any) -> tuple[Any, float, float]:
    """The page as a grayscale array, and pixels per point across and down; None for a page
    with no area. The resolution is lowered so that the image stays within the caps."""
    import pypdfium2

    source = page.pdf.path if page.pdf.path else page.pdf.stream
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        document = pypdfium2.PdfDocument(source, password=getattr(page.pdf, "password", None))
    except pypdfium2.PdfiumError:
        raise ReadError(f"第{page.page_number}页无法渲染为图像，PDF 文件可能已损坏", "damaged") from None
    try:
        pdfium_page = document[page.page_number - 1]
        width, height = pdfium_page.get_size()  # what pdfium will render, rotation included
        if width < 1 or height < 1:
            return None, 1.0, 1.0
        bitmap = pdfium_page.render(scale=_scale(width, height), grayscale=True, may_draw_forms=False)
        image = bitmap.to_numpy()
        if image.ndim == 3:
            image = image[:, :, 0]
        image = image.copy()  # the bitmap's buffer is freed with the document
    finally:
        document.close()
    crop_width = page.cropbox[2] - page.cropbox[0]
    crop_height = page.cropbox[3] - page.cropbox[1]
    if crop_width <= 0 or crop_height <= 0 or image.size == 0:
        return None, 1.0, 1.0
    return image, image.shape[1] / crop_width, image.shape[0] / crop_height


def _scale(width: float, height: float) -> float:
    """Pixels per point: the resolution's, or less so that the bitmap pdfium allocates (each
    side rounded up to whole pixels) stays within the caps."""
    area, perimeter = width * height, width + height
    # The largest s with (width s + 1)(height s + 1) <= MAX_PIXELS.
    within_pixels = (math.sqrt(perimeter**2 + 4 * area * (MAX_PIXELS - 1)) - perimeter) / (2 * area)
    return min(RESOLUTION / 72, within_pixels, (MAX_SIDE - 1) / max(width, height))


def _run(item: Sequence[Any], to_points) -> _Run:
    """One RapidOCR result (line quad, text, score, character quads, characters, character
    probabilities) as a run in points."""
    quad, text, score = item[0], str(item[1]), _confidence(item[2])
    bounds = _quad_box(quad, to_points)
    if len(item) >= 6:
        char_quads, chars, probabilities = item[3], item[4], item[5]
        if len(char_quads) == len(text) == len(probabilities) and "".join(map(str, chars)) == text:
            return _Run(text, [_quad_box(char_quad, to_points) for char_quad in char_quads],
                        [_confidence(value) for value in probabilities], bounds)
    return _Run(text, _split_box(bounds, text), [score] * len(text), bounds)


def _quad_box(quad: Sequence[Sequence[float]], to_points) -> Box:
    points = [to_points(float(x), float(y)) for x, y in quad]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _confidence(value: Any) -> float:
    number = float(value)
    return min(1.0, max(0.0, number)) if math.isfinite(number) else 0.0


def _display_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _split_box(box: Box, text: str) -> list[Box]:
    """The box cut into one box per character, in proportion to display width."""
    widths = [_display_width(char) for char in text]
    total = sum(widths) or 1
    x0, top, x1, bottom = box
    boxes, done = [], 0
    for width in widths:
        start = x0 + (x1 - x0) * done / total
        done += width
        boxes.append((start, top, x0 + (x1 - x0) * done / total, bottom))
    return boxes


def _inside(box: Box, area: Sequence[float]) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return area[0] <= x <= area[2] and area[1] <= y <= area[3]


def _skew(found: Sequence[Sequence[Any]]) -> float:
    """The page's skew (slope of its text lines), the median over the long boxes; 0 when
    there are none or the median is beyond a scanner's skew."""
    slopes = []
    for item in found:
        (x0, y0), (x1, y1), _, (_, y3) = item[0][:4]
        width, height = x1 - x0, abs(y3 - y0)
        if width > 0 and width >= _SKEW_BOX_RATIO * max(height, 1.0):
            slopes.append((y1 - y0) / width)
    if not slopes:
        return 0.0
    slope = statistics.median(slopes)
    return slope if abs(math.degrees(math.atan(slope))) <= _MAX_SKEW_DEGREES else 0.0


def _layout(runs: list[_Run], slope: float) -> list[OcrLine]:
    """Runs grouped into visual lines, top to bottom, each written out with its gaps."""
    if not runs:
        return []
    for run in runs:
        x0, top, x1, bottom = run.bounds
        shift = slope * (x0 + x1) / 2
        run.top, run.bottom = top - shift, bottom - shift
        run.level = (run.top + run.bottom) / 2
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda run: run.level):
        if lines and _same_line(lines[-1], run):
            lines[-1].append(run)
        else:
            lines.append([run])
    left = min(run.bounds[0] for run in runs)
    unit = _column_width(runs)
    return [_write_line(sorted(line, key=lambda run: run.bounds[0]), left, unit) for line in lines]


def _same_line(line: list[_Run], run: _Run) -> bool:
    top = statistics.fmean(member.top for member in line)
    bottom = statistics.fmean(member.bottom for member in line)
    overlap = min(bottom, run.bottom) - max(top, run.top)
    return overlap >= 0.5 * min(bottom - top, run.bottom - run.top)


def _column_width(runs: list[_Run]) -> float:
    """Points per display column: half the median width of the page's Chinese characters, or
    the median over the runs of width per column when there are none. (Runs alone would
    overstate it: a detected box has a margin, and a lone digit is mostly margin.)"""
    widths = [
        (box[2] - box[0]) / 2
        for run in runs
        for char, box in zip(run.text, run.boxes)
        if _display_width(char) == 2 and box[2] > box[0]
    ] or [
        (run.bounds[2] - run.bounds[0]) / sum(map(_display_width, run.text))
        for run in runs
        if run.bounds[2] > run.bounds[0]
    ]
    width = statistics.median(widths) if widths else 5.0
    # Never so narrow that a line of the page would need thousands of spaces.
    span = max(run.bounds[2] for run in runs) - min(run.bounds[0] for run in runs)
    return max(width, span / 1000, 0.5)


def _write_line(runs: list[_Run], left: float, unit: float) -> OcrLine:
    text: list[str] = []
    boxes: list[Box] = []
    confidences: list[float] = []
    top = min(run.bounds[1] for run in runs)
    bottom = max(run.bounds[3] for run in runs)
    column, edge = 0, left
    for index, run in enumerate(runs):
        start = run.bounds[0]
        wanted = round((start - left) / unit)
        if index == 0:
            spaces = max(wanted, 0)
        else:
            spaces = max(wanted - column, 2 if start - edge >= unit else 1)
        gap_start, gap_end = min(edge, start), start
        for number in range(spaces):
            boxes.append((gap_start + (gap_end - gap_start) * number / spaces, top,
                          gap_start + (gap_end - gap_start) * (number + 1) / spaces, bottom))
        text.append(" " * spaces)
        confidences.extend([1.0] * spaces)
        text.append(run.text)
        boxes.extend(run.boxes)
        confidences.extend(run.confidences)
        column += spaces + sum(map(_display_width, run.text))
        edge = max(edge, run.bounds[2])
    return OcrLine("".join(text), tuple(boxes), tuple(confidences))
