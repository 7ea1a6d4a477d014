"""What happens to each category of commit: halt by default, unless the user granted it.

A grant names a site (the page's host) and a category, for one task or until a time. Grants come
only from the user through the composition root (terminal, HTTP API); nothing in a page, a probe
or a model's output can create one. Unknown categories halt.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

from homebody.types import Grant, Verdict, site_of

#: Every category that commits something halts unless granted; a user may set one to "block".
DEFAULT_VERDICTS: Mapping[str, Verdict] = {
    "purchase": "halt",
    "send": "halt",
    "publish": "halt",
    "delete": "halt",
    "transfer": "halt",
    "security": "halt",
    "signup": "halt",
    "install": "halt",
    # The effect gate's own categories: a change a request sends that names nothing more, and a step
    # off the task's sites.
    "change": "halt",
    "leave_scope": "halt",
}


class Policy:
    """Maps a category on a site to a verdict, honouring the user's live grants. Thread-safe."""

    def __init__(
        self,
        verdicts: Mapping[str, Verdict] = DEFAULT_VERDICTS,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._verdicts = dict(verdicts)
        self._grants: list[Grant] = []
        self._clock = clock
        self._lock = threading.Lock()

    def add(self, grant: Grant) -> None:
        if grant.scope == "task" and not grant.task_id:
            raise ValueError("a task grant needs the task's id")
        if grant.scope == "timed" and grant.expires_at is None:
            raise ValueError("a timed grant needs an expiry")
        with self._lock:
            self._grants.append(grant)

    def grants(self) -> list[Grant]:
        now = self._clock()
        with self._lock:
            self._grants = [g for g in self._grants if g.expires_at is None or g.expires_at > now]
            return list(self._grants)

    def verdict(self, category: str, url: str, task_id: str | None) -> tuple[Verdict, str]:
        """The verdict for ``category`` on the page at ``url``, and why."""
        base = self._verdicts.get(category, "halt")
        if base == "block":
            return "block", f"{category} is blocked by your settings"
        site = site_of(url)
        for grant in self.grants():
            if grant.category != category or not site or grant.site != site:
                continue
            if grant.scope == "task" and grant.task_id == task_id:
                return "allow", f"you allowed {category} on {site} for this task"
            if grant.scope == "timed":
                return "allow", f"you allowed {category} on {site} until {time.ctime(grant.expires_at or 0)}"
        return base, ""
