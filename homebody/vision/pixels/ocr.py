"""Text and where it is on a screenshot, read offline with RapidOCR on onnxruntime.

Used where the DOM cannot say what is under a point (a canvas, a desktop window, a probe that came
back empty) and by the embedded steps brain to find a label on screen. The detection and recognition
models ship inside the ``rapidocr`` wheel and every model path is passed explicitly, so nothing is
ever downloaded. The engine loads on first use, never at import, and reads are serialized: two at
once only fight over the same cores. Calls are synchronous and CPU-bound; async callers run them in
``asyncio.to_thread`` under a timeout.
"""

from __future__ import annotations

import difflib
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homebody.errors import OcrError
from homebody.types import Box, Point

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Image = NDArray[np.uint8]

log = logging.getLogger(__name__)

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"  # never run (use_cls off); named so nothing is fetched
EDGE_PX = 2  # a box this close to a crop's edge may have been cut by it


@dataclass(frozen=True, slots=True)
class TextBox:
    """One line of text and its box, in the pixel coordinates of the whole image."""

    text: str
    box: Box
    score: float


class OcrReader:
    """Reads text lines with their boxes. ``threads`` is onnxruntime's intra-op thread count."""

    def __init__(self, *, threads: int = 2, max_side: int = 1280, min_score: float = 0.5) -> None:
        if threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")
        self.threads = threads
        self.max_side = max_side  # larger images are scaled down for detection; crops are never scaled up
        self.min_score = min_score
        self._engine: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the models now (about 0.1 s) instead of on the first read."""
        with self._lock:
            self._load_locked()

    def read(self, image: bytes | Image, region: Box | None = None) -> list[TextBox]:
        """Text lines in ``image`` (JPEG/PNG bytes or a BGR array), or in ``region`` of it.

        Boxes are in the coordinates of the whole image even when a region was read.
        """
        return self._read_array(_decode(image), region)

    def text_near(self, image: bytes | Image, point: Point, radius: int = 80) -> str:
        """The text at ``point``: the line whose box contains it, else the nearest one within ``radius``.

        Reads a crop around the point (wider than tall, as labels are), and once more with a wider
        crop when the line found runs into the crop's edge.
        """
        arr = _decode(image)
        height, width = arr.shape[:2]
        for widen in (2, 5):
            region = _clamp(
                Box(point.x - widen * radius, point.y - radius, 2 * widen * radius, 2 * radius), width, height
            )
            if region is None:
                return ""
            line = _line_at(self._read_array(arr, region), point, radius)
            if not line or not _cut_by(line, region, width):
                break
        return " ".join(b.text for b in line)

    # ------------------------------------------------------------------ the engine

    def _read_array(self, arr: Image, region: Box | None) -> list[TextBox]:
        height, width = arr.shape[:2]
        x0 = y0 = 0
        if region is not None:
            clamped = _clamp(region, width, height)
            if clamped is None:
                return []
            x0, y0 = int(clamped.x), int(clamped.y)
            arr = arr[y0 : y0 + int(clamped.height), x0 : x0 + int(clamped.width)].copy()  # contiguous
        with self._lock:
            engine = self._load_locked()
            try:
                out = engine(arr)
            except Exception as exc:  # the engine raises bare Exceptions from onnxruntime
                raise OcrError(f"OCR failed: {exc}") from exc
        if out.boxes is None or out.txts is None or out.scores is None:
            return []
        found = []
        for quad, text, score in zip(out.boxes, out.txts, out.scores, strict=True):
            if float(score) < self.min_score or not str(text).strip():
                continue
            xs, ys = [float(p[0]) for p in quad], [float(p[1]) for p in quad]
            box = Box(min(xs) + x0, min(ys) + y0, max(xs) - min(xs), max(ys) - min(ys))
            found.append(TextBox(text=str(text).strip(), box=box, score=float(score)))
        return found

    def _load_locked(self) -> Any:
        if self._engine is not None:
            return self._engine
        try:  # imported here: importing rapidocr installs its own stderr log handler
            import rapidocr  # noqa: PLC0415
            from rapidocr import RapidOCR  # noqa: PLC0415
        except ImportError as exc:
            raise OcrError("OCR needs the rapidocr, onnxruntime and opencv-python-headless packages") from exc
        models = Path(rapidocr.__file__).resolve().parent / "models"
        for name in (DET_MODEL, REC_MODEL):
            if not (models / name).is_file():
                raise OcrError(f"the OCR model {name} is missing from {models}; reinstall rapidocr")
        params = {
            "Global.use_cls": False,  # screen text is upright
            "Global.log_level": "warning",
            "Global.model_root_dir": str(models),
            "Det.model_path": str(models / DET_MODEL),
            "Det.limit_type": "max",
            "Det.limit_side_len": self.max_side,
            "Rec.model_path": str(models / REC_MODEL),
            "Cls.model_path": str(models / CLS_MODEL),
            "EngineConfig.onnxruntime.intra_op_num_threads": self.threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        # rapidocr logs to its own stderr handler; send its records through the application's logging.
        rapid_log = logging.getLogger("RapidOCR")
        rapid_log.handlers.clear()
        rapid_log.propagate = True
        self._engine = RapidOCR(params=params)
        log.info("OCR engine ready (%s, %s, %d threads)", DET_MODEL, REC_MODEL, self.threads)
        return self._engine


# --------------------------------------------------------------------------- geometry of lines


def _decode(image: bytes | Image) -> Image:
    if not isinstance(image, bytes | bytearray | memoryview):
        if image.ndim != 3 or image.shape[2] != 3:
            raise OcrError(f"expected a BGR image of shape (h, w, 3), got {image.shape}")
        return image
    # Imported here, as rapidocr is: together they take 0.4 s, which plain importers should not pay.
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    arr = cv2.imdecode(np.frombuffer(image, dtype=np.uint8), cv2.IMREAD_COLOR)
    if arr is None:
        raise OcrError("the image could not be decoded (expected JPEG or PNG)")
    return np.asarray(arr, dtype=np.uint8)


def _clamp(region: Box, width: int, height: int) -> Box | None:
    x0, y0 = max(0, int(region.x)), max(0, int(region.y))
    x1, y1 = min(width, int(region.x + region.width)), min(height, int(region.y + region.height))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return Box(x0, y0, x1 - x0, y1 - y0)


def _distance(box: Box, p: Point) -> float:
    dx = max(box.x - p.x, 0.0, p.x - (box.x + box.width))
    dy = max(box.y - p.y, 0.0, p.y - (box.y + box.height))
    return float((dx * dx + dy * dy) ** 0.5)


def _line_at(boxes: Sequence[TextBox], point: Point, radius: int) -> list[TextBox]:
    """The box at ``point`` (or nearest it) and its neighbours on the same line, left to right."""
    if not boxes:
        return []

    def closeness(b: TextBox) -> tuple[float, float]:
        centre = b.box.center
        return _distance(b.box, point), abs(centre.x - point.x) + abs(centre.y - point.y)

    anchor = min(boxes, key=closeness)
    if _distance(anchor.box, point) > radius:
        return []
    line = [anchor]
    rest = sorted((b for b in boxes if b is not anchor), key=lambda b: b.box.x)
    grew = True
    while grew:
        grew = False
        for b in rest:
            if all(b is not m for m in line) and any(_same_line(b.box, m.box) for m in line):
                line.append(b)
                grew = True
    return sorted(line, key=lambda b: b.box.x)


def _same_line(a: Box, b: Box) -> bool:
    """Words of one label: overlapping vertically and separated by less than a word space or two."""
    overlap = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
    height = min(a.height, b.height)
    gap = max(a.x, b.x) - min(a.x + a.width, b.x + b.width)
    return height > 0 and overlap >= 0.5 * height and gap <= 0.6 * height


def _cut_by(line: Sequence[TextBox], region: Box, image_width: int) -> bool:
    left = min(b.box.x for b in line) <= region.x + EDGE_PX and region.x > 0
    right_edge = region.x + region.width
    right = max(b.box.x + b.box.width for b in line) >= right_edge - EDGE_PX and right_edge < image_width
    return left or right


# --------------------------------------------------------------------------- fuzzy search


def _normalize(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _partial_ratio(short: str, long: str) -> float:
    """The best match of ``short`` against any same-length window of ``long``."""
    if len(short) >= len(long):
        return difflib.SequenceMatcher(None, short, long).ratio()
    best = 0.0
    for i in range(len(long) - len(short) + 1):
        best = max(best, difflib.SequenceMatcher(None, short, long[i : i + len(short)]).ratio())
    return best


def match_score(query: str, text: str) -> float:
    """How well ``text`` matches ``query``, 0..1: whole-string likeness, a close substring, shared words."""
    q, t = _normalize(query), _normalize(text)
    if not q or not t:
        return 0.0
    if q == t:
        return 1.0
    whole = difflib.SequenceMatcher(None, q, t).ratio()
    partial = _partial_ratio(q, t) * 0.95 if len(q) >= 3 else 0.0
    q_words, t_words = set(q.split()), set(t.split())
    overlap = len(q_words & t_words) / len(q_words) * 0.9
    return max(whole, partial, overlap)


def find_text(boxes: Sequence[TextBox], query: str, *, threshold: float = 0.6) -> list[tuple[TextBox, float]]:
    """The boxes whose text matches ``query`` (case-insensitive, fuzzy), best first."""
    scored = [(b, match_score(query, b.text)) for b in boxes]
    return sorted((pair for pair in scored if pair[1] >= threshold), key=lambda pair: -pair[1])
