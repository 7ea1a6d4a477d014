"""A recording as ONE self-contained, offline HTML file: the replay page (``page.py``) with its frames,
style and script written into it.

The file loads nothing from anywhere (a Content-Security-Policy forbids it) and works from
``file://``. The stored JPEGs are embedded as they are (base64), so the file is about 4/3 of the
frames' size. The server's replay page is the same page with the pictures and files linked instead.
"""

from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path

from homebody.errors import BadInput
from homebody.recordings.page import Assets, render_page
from homebody.recordings.timeline import FrameRef, Timeline, read_timeline

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def export_html(task_dir: Path, out: Path) -> Path:
    """Write the replay of the recording in ``task_dir`` to ``out`` (0600, replaced atomically)."""
    timeline = read_timeline(task_dir)
    write_private(out, render_html(timeline).encode("utf-8"))
    return out


def render_html(timeline: Timeline) -> str:
    return render_page(timeline, Assets(image=data_uri, csp=CSP))


def data_uri(frame: FrameRef) -> str:
    """The stored picture inline, typed by its first bytes; "" when it is missing or not a picture."""
    mime = frame.mime
    data = frame.file.read_bytes() if mime and frame.file else b""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}" if data else ""


def write_private(out: Path, data: bytes) -> None:
    """Replays show what the user's browser showed: readable by the owner only, never half-written."""
    if out.is_dir():
        raise BadInput(f"{out} is a directory; give a file name for the export")
    if not out.parent.is_dir():
        raise BadInput(f"cannot write {out}: the folder {out.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".replay-", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
