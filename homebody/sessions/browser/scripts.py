"""The in-page scripts homebody ships (the ``.js`` files beside these modules), and putting one into a tab.

``bundled`` reads a script once per process; ``cover`` puts a script into a tab for good: as an init
script for the documents it loads from now on, and into the frames it shows now (a frame that is
navigating meanwhile gets it from the init script).
"""

from __future__ import annotations

import functools
from importlib import resources

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

PACKAGE = "homebody.sessions.browser"


@functools.cache
def bundled(name: str, package: str = PACKAGE) -> str:
    """The text of the script ``name`` shipped in ``package``."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


async def cover(page: Page, script: str) -> None:
    """Put ``script`` into ``page``: its documents from now on, and the ones it shows now."""
    await page.add_init_script(script=script)
    for frame in page.frames:
        try:
            await frame.evaluate(script)
        except PlaywrightError:  # a frame that navigates meanwhile gets it from the init script
            continue
