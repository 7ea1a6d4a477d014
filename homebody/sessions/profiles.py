"""Named browser profiles in the data dir, and the lock that keeps one browser per profile.

A profile is ``<data dir>/profiles/NAME/``: Chromium's user data lives in ``browser/`` beside a
``lock`` file. The lock is an advisory ``flock`` held for as long as a browser uses the profile;
the kernel drops it when the holding process dies (even by ``kill -9``), so a crash never leaves
a profile locked, while a second live task gets ``ProfileInUse`` instead of a corrupted profile.
The lock file's modification time is the profile's "last used" time (touched on release).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
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


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    """What ``homebody profile list`` shows about one profile."""

    name: str
    path: Path
    size_bytes: int
    in_use: bool
    last_used: float | None
    """Seconds since the epoch when a browser last let go of it; None if never used."""


class ProfileStore:
    """The profiles under one data dir."""

    def __init__(self, profiles_dir: Path) -> None:
        self._dir = profiles_dir

    @property
    def directory(self) -> Path:
        return self._dir

    def create(self, name: str) -> Profile:
        """Make a new, empty profile; an existing one is refused rather than silently reused."""
        validate_profile_name(name)
        if (self._dir / name).exists():
            raise BadInput(f"a profile named {name!r} already exists in {self._dir}")
        return self.get(name)

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

    def info(self, name: str) -> ProfileInfo:
        profile = self.get(name, create=False)
        try:
            last_used: float | None = profile.lock_path.stat().st_mtime
        except FileNotFoundError:
            last_used = None
        return ProfileInfo(profile.name, profile.path, disk_usage(profile.path), is_in_use(profile), last_used)

    def infos(self) -> list[ProfileInfo]:
        found: list[ProfileInfo] = []
        for name in self.names():
            try:
                found.append(self.info(name))
            except BadInput:  # deleted by another process between listing and looking
                continue
        return found

    def delete(self, name: str) -> ProfileInfo:
        """Remove a profile that no browser is using (``ProfileInUse`` otherwise); returns what
        was removed."""
        profile = self.get(name, create=False)
        with ProfileLock(profile):
            removed = ProfileInfo(profile.name, profile.path, disk_usage(profile.path), False, None)
            shutil.rmtree(profile.user_data_dir, ignore_errors=True)
        shutil.rmtree(profile.path)
        return removed


def disk_usage(path: Path) -> int:
    """Bytes the files under ``path`` occupy on disk (allocated blocks; links not followed)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:  # a browser may delete its temporary files while we count
                continue
            if stat.S_ISREG(st.st_mode):
                total += st.st_blocks * 512 if hasattr(st, "st_blocks") else st.st_size
    return total


def is_in_use(profile: Profile) -> bool:
    """Whether a browser holds the profile's lock now. Probes without taking the lock over (a
    read-only descriptor, so the holder's process id in the file stays as it is)."""
    try:
        fd = os.open(profile.lock_path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing the descriptor drops the probe's own lock
    return False


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
            try:
                os.utime(self._fd)  # "last used": when the browser let go
            except OSError:
                pass
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
