#!/usr/bin/env python
"""Finds the Chromium that the browser tests drive, before the suite starts.

`make test` runs this first, so a machine without a browser stops in seconds with the
command that installs one, instead of failing every browser test minutes later. Where
none is found and the network allows it, Playwright's own Chromium is installed.

    python scripts/check_browser.py [--no-install]

Prints the browser's path and exits 0, or says what to install and exits 1.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

INSTALL_HELP = """No Chromium was found for the browser tests, and Playwright's own could not be installed.
Install Debian's package:      sudo apt-get install chromium
or, where the network allows:  .venv/bin/playwright install chromium
(or point CHROMIUM_PATH at a Chromium or Chrome binary)."""


def system_chromium() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def playwright_chromium() -> str | None:
    """Playwright's own build, when `playwright install chromium` has put it there."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - no driver, no build: simply not there
        return None
    return path if path and Path(path).exists() else None


def find_chromium() -> str | None:
    return system_chromium() or playwright_chromium()


def install_playwright_chromium(timeout: int = 600) -> bool:
    playwright = Path(sys.executable).with_name("playwright")
    if not playwright.exists():
        return False
    print("No Chromium found: trying Playwright's own (playwright install chromium)...", flush=True)
    try:
        done = subprocess.run([str(playwright), "install", "chromium"], timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = find_chromium()
    if not path and "--no-install" not in args and install_playwright_chromium():
        path = find_chromium()
    if not path:
        print(INSTALL_HELP, file=sys.stderr)
        return 1
    print(f"Browser for the browser tests: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
