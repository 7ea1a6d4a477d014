"""One exception tree for homebody.

::

    HomebodyError
    ├── BadInput              the user's input is wrong (CLI exit code 2); the message names what
    │   └── ScriptError       a script brain file is malformed (file, index, field)
    ├── BrowserNotFound       no Chromium/Chrome to drive; the message says how to install one
    ├── ProfileInUse          another task holds this browser profile
    ├── ComputerError         the browser or desktop failed under an action (page or process error)
    │   ├── NavigationError   a URL could not be loaded (carries the URL and the browser's error)
    │   └── SessionClosed     the browser (or desktop session) went away: the task cannot go on
    ├── BrainError            the brain could not produce an action (model or parse failure)
    │   └── NeedsHelp         the brain will not guess (a target missing or ambiguous): ask the user
    └── OcrError              the OCR engine is missing or failed on an image

Errors raised inside a step become events at the loop edge; only the CLI turns them into exit codes.
"""

from __future__ import annotations


class HomebodyError(Exception):
    """Base of every error homebody raises on purpose."""


class BadInput(HomebodyError):
    """Input from the user (flags, files, request bodies) is invalid."""


class ScriptError(BadInput):
    """A script brain file is malformed."""


class BrowserNotFound(HomebodyError):
    """No browser executable could be found."""


class ProfileInUse(HomebodyError):
    """A browser profile is locked by another running task."""


class ComputerError(HomebodyError):
    """The computer (browser or desktop) failed to capture or act."""


class NavigationError(ComputerError):
    """A URL could not be loaded."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(f"could not load {url}: {detail}")
        self.url = url
        self.detail = detail


class SessionClosed(ComputerError):
    """The browser or desktop session is gone (crashed, killed or closed by the user)."""


class BrainError(HomebodyError):
    """The brain failed to decide (model unavailable, unparseable output after re-asking)."""


class NeedsHelp(BrainError):
    """The brain stops rather than guess; the task ends ``halted`` with the question as its reason."""


class OcrError(HomebodyError):
    """The OCR engine could not be loaded or failed on an image."""
