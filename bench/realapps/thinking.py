"""``homebody`` with a script brain that takes ``BENCH_THINK_S`` seconds before each step, as a model does.

The script brain answers at once, so a bench script leaves no time between one action's window and
the next dispatch; a model takes seconds there, and what the page sends by itself then is the page's
own. ``python -m bench.realapps.thinking run …`` takes the arguments of ``python -m homebody``; the
patch is to this process's script brain only (nothing under ``homebody/`` changes).
"""

from __future__ import annotations

import asyncio
import os
import sys

from homebody.cli import main
from homebody.types import BrainInput, Decision
from homebody.vision import scripted

THINK_S = float(os.environ.get("BENCH_THINK_S", "0"))
_decide = scripted.ScriptBrain.decide


async def _thinking_decide(self: scripted.ScriptBrain, inp: BrainInput) -> Decision:
    await asyncio.sleep(THINK_S)
    return await _decide(self, inp)


scripted.ScriptBrain.decide = _thinking_decide  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.exit(main())
