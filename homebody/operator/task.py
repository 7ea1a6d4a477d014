"""A task as the loop receives it (the one task record, ``homebody.types.TaskSpec``), and how it ended."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from homebody.events import Outcome
from homebody.types import TaskSpec

__all__ = ["TaskResult", "TaskSpec", "new_task_id"]


def new_task_id() -> str:
    """Sortable by start time, unguessable: ``20261124-033000-1f2e3d4c``."""
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(4)


@dataclass(frozen=True, slots=True)
class TaskResult:
    task_id: str
    outcome: Outcome
    reason: str = ""
    answer: str = ""
    steps: int = 0
