"""Named browser profiles in the data dir, and the lock that keeps one browser per profile.

A profile is ``<data dir>/profiles/NAME/``: Chromium's user data lives in ``browser/`` beside a
``lock`` file. The lock is an advisory ``flock`` held for as long as a browser uses the profile;
the kernel drops it when the holding process dies (even by ``kill -9``), so a crash never leaves
a profile locked, while a second live task gets ``ProfileInUse`` instead of a corrupted profile.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from homebody.errors import BadInput, ProfileInUse

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def validate_profile_name(name: str) -> str:
    if not _NAME.fullmatch(name) or name in {".", ".."}:
        raise BadInput(
            f"invalid profile name {name!r}: use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit"
        )
    return name


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    path: Path

    @property
    def user_data_dir(self) -> Path:
        return self.path / "browser"

    @property
    def lock_path(self) -> Path:
        return self.path / "lock"


class ProfileStore:
    """The profiles under one data dir."""

    def __init__(self, profiles_dir: Path) -> None:
        self._dir = profiles_dir

    def get(self, name: str, *, create: bool = True) -> Profile:
        profile = Profile(validate_profile_name(name), self._dir / name)
        if create:
            for folder in (self._dir, profile.path, profile.user_data_dir):
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        elif not profile.path.is_dir():
            raise BadInput(f"no profile named {name!r} in {self._dir}")
        return profile

    def names(self) -> list[str]:
        if not self._dir.is_dir():
            return []
        return sorted(p.name for p in self._dir.iterdir() if p.is_dir() and _NAME.fullmatch(p.name))

    def delete(self, name: str) -> None:
        profile = self.get(name, create=False)
        with ProfileLock(profile):
            shutil.rmtree(profile.user_data_dir, ignore_errors=True)
        shutil.rmtree(profile.path)


class ProfileLock:
    """Exclusive, non-blocking lock on a profile; raises ``ProfileInUse`` if held elsewhere."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self._profile.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip()
            os.close(fd)
            who = f" (process {holder})" if holder else ""
            raise ProfileInUse(
                f"profile {self._profile.name!r} is in use by another task{who}; wait for it to "
                "finish, or use another --profile or --ephemeral"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> ProfileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
