"""The OCR engine: RapidOCR with the PP-OCR models its PyPI package ships (nothing downloaded)."""

import logging
import threading
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class OcrLine:
    """One line of text the engine found, with its box in pixels (x to the right, y down)."""

    text: str
    score: float  # the engine's confidence, 0..1
    left: float = 0
    top: float = 0
    right: float = 0
    bottom: float = 0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


# Text is found on the photo at most this size (memory grows with its area: measured 646 MB
# peak over the corpus at 1280 px, see bench/card_ocr.py); lines are read at full size.
DETECTION_SIDE = 960
_lock = threading.Lock()  # one photo at a time: the engine is not documented as thread-safe


@cache
def _engine():
    from rapidocr import RapidOCR  # imported on first use: loading the models takes a second

    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    # One thread each: on a 2-CPU server, more threads spin and cost CPU time without gain.
    return RapidOCR(
        params={
            "Global.log_level": "warning",
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Det.limit_type": "max",
            "Det.limit_side_len": DETECTION_SIDE,
        }
    )


def read_lines(image: Image.Image) -> list[OcrLine]:
    """The text lines in an RGB image, top to bottom as the engine orders them."""
    pixels = np.asarray(image)[:, :, ::-1].copy()  # the engine wants OpenCV's BGR order
    with _lock:
        result = _engine()(pixels)
    if result.txts is None:
        return []
    lines = []
    for text, score, box in zip(result.txts, result.scores, result.boxes, strict=True):
        xs, ys = box[:, 0], box[:, 1]
        lines.append(OcrLine(text, float(score), xs.min(), ys.min(), xs.max(), ys.max()))
    return lines
