"""A recording as a video: the stored frames with the markers drawn on, piped to ffmpeg.

ffmpeg is optional (``shutil.which``); without it the export says so. Frames travel to ffmpeg as
JPEGs on its stdin (an ``image2pipe``), so memory stays at about the size of the stored frames
rather than raw pixels, and ``subprocess.run`` drains ffmpeg's output while feeding it (no pipe
deadlock) under one timeout. Nothing from the recording reaches ffmpeg's arguments.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homebody.errors import BadInput, VideoError
from homebody.recordings.markers import Marker, entry_markers
from homebody.recordings.timeline import FrameRef, Step, Takeover, Timeline, read_timeline
from homebody.recordings.wording import action_line, outgoing_line

if TYPE_CHECKING:
    import numpy.typing as npt

    Image = npt.NDArray[Any]  # what OpenCV hands back: 8-bit BGR here

log = logging.getLogger(__name__)

AGENT_BGR = (72, 29, 225)
HUMAN_BGR = (199, 132, 2)
CHANGE_BGR = (11, 158, 245)
CAPTION_PX = 64
_FALLBACK_SIZE = (1280, 800)
_CODECS: dict[str, list[str]] = {
    ".mp4": ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart"],
    ".mkv": ["-c:v", "libx264", "-pix_fmt", "yuv420p"],
    ".webm": ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "36", "-pix_fmt", "yuv420p"],
}
_ASCII = str.maketrans({"•": "*", "“": '"', "”": '"', "…": "...", "—": "-", "·": "-", "←": "<", "→": ">"})


def export_video(task_dir: Path, out: Path, *, fps: int = 2) -> Path:
    """Encode the recording in ``task_dir`` to ``out`` (.mp4, .mkv or .webm), one frame per step."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise BadInput("a video export needs ffmpeg, which is not on PATH (install it, e.g. apt-get install ffmpeg)")
    if out.suffix.lower() not in _CODECS:
        raise BadInput(f"cannot write a video to {out}: use a name ending in " + ", ".join(sorted(_CODECS)))
    if not 1 <= fps <= 30:
        raise BadInput(f"fps must be between 1 and 30, got {fps}")
    if not out.parent.is_dir():
        raise BadInput(f"cannot write {out}: the folder {out.parent} does not exist")
    timeline = read_timeline(task_dir)
    frames = render_frames(timeline)
    if not frames:
        raise BadInput(f"the recording in {task_dir} has no steps to show")
    _encode(ffmpeg, frames, out, fps)
    return out


def render_frames(timeline: Timeline) -> list[bytes]:
    """One annotated JPEG per entry (halts and takeovers twice, so they stay on screen longer)."""
    import cv2  # noqa: PLC0415  (imported on use: OpenCV is slow to import)

    size = _video_size(timeline)
    out: list[bytes] = []
    for entry, markers in zip(timeline.entries, entry_markers(timeline), strict=True):
        image = _annotated(entry, markers, size)
        ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
        if not ok:
            raise VideoError("could not encode a video frame")
        hold = 2 if isinstance(entry, Takeover) or entry.halt is not None else 1
        out += [jpeg.tobytes()] * hold
    return out


def _video_size(timeline: Timeline) -> tuple[int, int]:
    for entry in timeline.entries:
        image = _load(entry.frame)
        if image is not None:
            return image.shape[1], image.shape[0]
    return _FALLBACK_SIZE


def _load(frame: FrameRef | None) -> Image | None:
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    if frame is None or frame.file is None:
        return None
    try:
        data = np.frombuffer(frame.file.read_bytes(), dtype=np.uint8)
    except OSError as exc:
        log.warning("cannot read %s: %s", frame.file, exc)
        return None
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    return image if image is not None and image.size else None


def _annotated(entry: Step | Takeover, markers: tuple[Marker, ...], size: tuple[int, int]) -> Image:
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    width, height = size
    image = _load(entry.frame)
    if image is None:
        image = np.full((height, width, 3), 200, dtype=np.uint8)
        _put(image, "frame missing", (width // 2 - 120, height // 2), (60, 60, 60), 1.0)
    elif (image.shape[1], image.shape[0]) != size:
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    frame = entry.frame
    sx = width / frame.width if frame and frame.width else 1.0
    sy = height / frame.height if frame and frame.height else 1.0
    for marker in markers:
        _draw(image, marker, sx, sy)
    canvas = np.full((height + CAPTION_PX, width, 3), 24, dtype=np.uint8)
    canvas[:height] = image
    lines = _caption(entry)
    for row, text in enumerate(lines[:2]):
        colour = HUMAN_BGR if isinstance(entry, Takeover) else (235, 235, 235)
        _put(canvas, text, (10, height + 26 + row * 28), colour, 0.7, box=False)
    return canvas


def _caption(entry: Step | Takeover) -> list[str]:
    if isinstance(entry, Takeover):
        return [f"TAKEOVER by {entry.by}: {len(entry.inputs)} inputs", entry.summary]
    first = f"step {entry.number}: {action_line(entry.action)}"
    if entry.halt is not None:
        held = entry.halt.held
        more = f" (+{len(held) - 1} more)" if len(held) > 1 else ""
        shown = f"held: {outgoing_line(held[0].outgoing)}{more}" if held else entry.halt.reason
        return [first, f"HALTED [{entry.halt.category}] {shown}"]
    check = entry.check
    second = f"checker: {check.verdict} {check.category}".strip() if check else ""
    if entry.verified is not None:
        second += f"  verifier: {entry.verified.effect}"
    return [first, second.strip()]


def _draw(image: Image, m: Marker, sx: float, sy: float) -> None:
    import cv2  # noqa: PLC0415

    colour = HUMAN_BGR if m.human else AGENT_BGR
    x, y = round(m.x * sx), round(m.y * sy)
    match m.kind:
        case "click":
            cv2.circle(image, (x, y), 18, colour, 3, cv2.LINE_AA)
            cv2.line(image, (x - 28, y), (x + 28, y), colour, 2, cv2.LINE_AA)
            cv2.line(image, (x, y - 28), (x, y + 28), colour, 2, cv2.LINE_AA)
        case "scroll":
            length = math.hypot(m.dx, m.dy)
            ux, uy = (m.dx / length, m.dy / length) if length else (0.0, 1.0)
            reach = min(max(length / 3, 40.0), 160.0)
            tip = (round(x + ux * reach * sx), round(y + uy * reach * sy))
            cv2.arrowedLine(image, (x, y), tip, colour, 3, cv2.LINE_AA, tipLength=0.2)
        case "dot":
            cv2.circle(image, (x, y), 5, colour, -1, cv2.LINE_AA)
        case "box":
            corner = (round((m.x + m.dx) * sx), round((m.y + m.dy) * sy))
            cv2.rectangle(image, (x, y), corner, CHANGE_BGR, 2)
            return
        case "label":
            pass
    if m.text:
        offset = (0, 6) if m.kind == "label" else (24, -24)
        height, width = image.shape[:2]
        left = min(max(x + offset[0], 4), max(width - 12 * len(m.text), 4))
        at = (left, min(max(y + offset[1], 20) + 24 * m.lift, height - 8))
        _put(image, m.text, at, colour, 0.6)


def _put(
    image: Image, text: str, at: tuple[int, int], colour: tuple[int, int, int], scale: float, *, box: bool = True
) -> None:
    """Text, on a light box where it sits on a frame; OpenCV's fonts are ASCII only ('?' for the rest)."""
    import cv2  # noqa: PLC0415

    plain = text.translate(_ASCII).encode("ascii", "replace").decode("ascii")[:110]
    font, thickness = cv2.FONT_HERSHEY_SIMPLEX, 2
    if box:
        (w, h), base = cv2.getTextSize(plain, font, scale, thickness)
        cv2.rectangle(image, (at[0] - 3, at[1] - h - 4), (at[0] + w + 3, at[1] + base + 2), (255, 255, 255), -1)
    cv2.putText(image, plain, at, font, scale, colour, thickness, cv2.LINE_AA)


def _encode(ffmpeg: str, frames: list[bytes], out: Path, fps: int) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=".replay-", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    args = [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
    args += ["-f", "image2pipe", "-framerate", str(fps), "-c:v", "mjpeg", "-i", "pipe:0"]
    args += ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", *_CODECS[out.suffix.lower()], "-an", str(tmp)]
    timeout = 30.0 + 2.0 * len(frames)
    try:
        proc = subprocess.run(args, input=b"".join(frames), capture_output=True, timeout=timeout, check=False)
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip()[-500:]
            raise VideoError(f"ffmpeg could not encode {out} (exit {proc.returncode}): {detail}")
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    except subprocess.TimeoutExpired as exc:
        raise VideoError(f"ffmpeg took longer than {timeout:.0f} s to encode {out}") from exc
    finally:
        tmp.unlink(missing_ok=True)
