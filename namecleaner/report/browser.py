"""Debian's Chromium, driven by Playwright, as the report's test and benchmark open the page.

The browser is the system's (``apt-get install -y chromium``), never one that Playwright
downloads, and it runs headless with every background request switched off, so a page that
loads anything from outside shows it in the requests it makes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
#: Headless, and nothing fetched behind the page's back.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def launch(playwright: Any) -> Any:
    """The system Chromium through a started ``sync_playwright()``."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
