"""In-page menus for ``<select>`` dropdowns, so that a click on what the screenshot shows works.

Headless Chromium draws an open ``<select>`` popup in screenshots, but coordinate clicks on its
options do nothing (the popup is a separate widget that synthetic mouse events never reach). An
agent that acts on pixels would see the options and be unable to pick one. ``select_menu.js``,
installed in every frame of a browser context, replaces the native popup on a mouse press with a
menu drawn in the page right under the ``<select>``: screenshots show it, a click on an option
chooses it like a real selection (value, then ``input`` and ``change``), and Escape or a click
elsewhere closes it. Keyboard handling stays the browser's own.
"""

from __future__ import annotations

import asyncio
import logging

from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError

from homebody.sessions.browser.scripts import bundled

log = logging.getLogger(__name__)

#: Seconds to wait for one frame while installing into pages that are already open.
INSTALL_TIMEOUT_S = 5.0


def select_menu_source() -> str:
    """The init script's text (shipped inside the package)."""
    return bundled("select_menu.js")


async def install_select_menus(context: BrowserContext) -> None:
    """Install the menus in every frame ``context`` loads from now on, and in the frames already open.

    Installing twice is harmless (the script checks a flag). A frame that cannot be reached now (it
    is navigating, or closing) gets the script with its next document.
    """
    source = select_menu_source()
    async with asyncio.timeout(INSTALL_TIMEOUT_S):
        await context.add_init_script(script=source)
    for page in context.pages:
        for frame in page.frames:
            try:
                async with asyncio.timeout(INSTALL_TIMEOUT_S):
                    await frame.evaluate(source)
            except (PlaywrightError, TimeoutError) as exc:
                log.info("select menus not installed in %s yet: %s", frame.url, exc)
