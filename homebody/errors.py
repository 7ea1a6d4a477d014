"""One exception tree for homebody.

::

    HomebodyError
    ├── BadInput              the user's input is wrong (CLI exit code 2); the message names what
    │   ├── ScriptError       a script brain file is malformed (file, index, field)
    │   ├── BadOption         a task option is invalid; names its field, which each front end words its own way
    │   └── NoTakeover        a person's input arrived while nobody had taken over the session
    ├── NotFound              no task, profile or recording of that name (HTTP 404)
    ├── Conflict              the request does not fit the task's state (HTTP 409)
    ├── BrowserNotFound       no Chromium/Chrome to drive; the message says how to install one
    ├── ProfileInUse          another task holds this browser profile
    ├── ComputerError         the browser or desktop failed under an action (page or process error)
    │   ├── NavigationError   a URL could not be loaded (carries the URL and the browser's error)
    │   ├── SessionClosed     the browser (or desktop session) went away: the task cannot go on
    │   └── FailSafeTriggered the desktop user pushed the pointer into a corner: stop
    ├── RedactionFailed       the page could not say where its secret fields are (blank the frame)
    ├── BrainError            the brain could not produce an action (model or parse failure)
    │   ├── ParseError        a model's reply is not a usable action (the model is asked again)
    │   ├── ModelGaveUp       the model said it cannot finish the task
    │   ├── Unresolved        the steps brain cannot pick a target on screen without guessing
    │   └── NeedsHelp         the brain will not guess (a target missing or ambiguous): ask the user
    │       └── StepsNeedHelp the steps brain's question, naming the step and what is on screen
    ├── TaskCancelled         a task was cancelled; raised at the loop's next checkpoint
    ├── OcrError              the OCR engine is missing or failed on an image
    └── VideoError            ffmpeg failed or took too long to encode a replay video

Errors raised inside a step become events at the loop edge; only the CLI turns them into exit codes.
"""

from __future__ import annotations


class HomebodyError(Exception):
    """Base of every error homebody raises on purpose."""


class BadInput(HomebodyError):
    """Input from the user (flags, files, request bodies) is invalid."""


class ScriptError(BadInput):
    """A script brain file is malformed."""


class BadOption(BadInput):
    """A task option (a brain setting, the browser session) is invalid. ``field`` is its path in the
    API's task body (``brain.history_images``): the API says it as is, ``homebody run`` names its
    flag (``--history-images``), and ``problem`` reads the same in both."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class NoTakeover(BadInput):
    """A person's input was sent while nobody has taken over the session."""


class NotFound(HomebodyError):
    """No task, profile or recording file of that name."""


class Conflict(HomebodyError):
    """The request does not fit the task's state (approve a task that is not halted, …)."""


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


class FailSafeTriggered(ComputerError):
    """The pointer sits in a corner of the screen where the agent did not put it.

    Pushing the mouse into a corner is the desktop user's emergency stop: the agent stops at once.
    """


class RedactionFailed(HomebodyError):
    """The page could not say where its secret fields are (the caller blanks or drops the frame)."""


class BrainError(HomebodyError):
    """The brain failed to decide (model unavailable, unparseable output after re-asking)."""


class ParseError(BrainError):
    """A model's reply is not a usable action; the message tells the model what to fix."""


class ModelGaveUp(BrainError):
    """The model said, in a well-formed reply, that it cannot finish the task."""


class NeedsHelp(BrainError):
    """The brain stops rather than guess; the task ends ``halted`` with the question as its reason."""


class StepsNeedHelp(NeedsHelp):
    """The steps brain will not guess: a target is missing or ambiguous, or clicking it did nothing.

    The message names the step and the target, says what is on screen and how to rephrase.
    """


class Unresolved(BrainError):
    """The steps brain cannot pick its target on screen without guessing; the message says why."""


class TaskCancelled(HomebodyError):
    """Raised at a checkpoint after the task's ``cancel()``; the loop turns it into outcome ``cancelled``."""


class OcrError(HomebodyError):
    """The OCR engine could not be loaded or failed on an image."""


class VideoError(HomebodyError):
    """ffmpeg failed or took too long to encode a replay video."""


class UnansweredHold(HomebodyError):
    """Something an action would send is held and nobody can answer (no approver): it is failed,
    and the task halts."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
