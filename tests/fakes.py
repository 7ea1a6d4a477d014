"""Fakes that implement homebody's own protocols (no mocking frameworks)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from homebody.errors import ComputerError, SessionClosed
from homebody.types import Action, CheckResult, Frame, Point, Size, TargetInfo

TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912"
    "130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001"
    "000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303"
    "020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282"
    "090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a73747576"
    "7778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9ca"
    "d2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)


class FakeComputer:
    """Records what it was asked to do; can be told to fail or to lose its session."""

    kind = "fake"

    def __init__(self, *, fail_on: str | None = None, close_after: int | None = None) -> None:
        self.calls: list[tuple[str, object]] = []
        self._fail_on = fail_on
        self._close_after = close_after

    def _record(self, name: str, arg: object) -> None:
        if self._close_after is not None and len(self.calls) >= self._close_after:
            raise SessionClosed("the browser closed unexpectedly")
        if name == self._fail_on:
            raise ComputerError(f"could not {name}: broken on purpose")
        self.calls.append((name, arg))

    async def capture(self) -> Frame:
        return Frame(data=TINY_JPEG, format="jpeg", size=Size(1280, 800), ts=time.time(), url="fake://", title="Fake")

    async def click(self, point: Point, button: str = "left", count: int = 1) -> None:
        self._record("click", (point.x, point.y, button, count))

    async def type_text(self, text: str) -> None:
        self._record("type", text)

    async def press(self, keys: Sequence[str]) -> None:
        self._record("press", tuple(keys))

    async def scroll(self, point: Point, dx: float, dy: float) -> None:
        self._record("scroll", (point.x, point.y, dx, dy))

    async def navigate(self, url: str) -> None:
        self._record("navigate", url)

    async def settle(self) -> None:
        return None


class ScreenComputer(FakeComputer):
    """A fake computer whose screen can change between captures: each capture takes the next of
    ``screens`` (encoded images) and the last one stays."""

    def __init__(self, screens: list[bytes], url: str = "https://shop.example/pay") -> None:
        super().__init__()
        self.screens = screens
        self.url = url

    async def capture(self) -> Frame:
        data = self.screens.pop(0) if len(self.screens) > 1 else self.screens[0]
        return Frame(data=data, format="jpeg", size=Size(1280, 800), ts=time.time(), url=self.url)


class VerdictChecker:
    """Returns a fixed verdict for clicks and allows everything else."""

    def __init__(self, verdict: str, category: str = "purchase", *, crash: bool = False) -> None:
        self.name = f"fixed-{verdict}"
        self._verdict = verdict
        self._category = category
        self._crash = crash
        self.seen: list[Action] = []

    async def check(self, action: Action, target: TargetInfo | None, frame: Frame) -> CheckResult:
        self.seen.append(action)
        if self._crash:
            raise RuntimeError("checker exploded")
        if action.kind != "click":
            return CheckResult(verdict="allow")
        return CheckResult(verdict=self._verdict, category=self._category, reason="fixed verdict for the test")  # type: ignore[arg-type]


class AllowAll:
    """Allows every action: for tests about something other than the checker (the loop, takeover,
    the verifier). A chain with no checker at all halts, as production must."""

    name = "allow-all"

    async def check(self, action: Action, target: TargetInfo | None, frame: Frame) -> CheckResult:
        return CheckResult(verdict="allow", reason="every action is allowed in this test", target=target)
