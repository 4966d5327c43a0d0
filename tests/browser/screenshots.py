"""Photographs every page at phone and desktop widths into docs/screenshots/<page>-<width>.png.

.venv/bin/python -m tests.browser.screenshots
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support.server import LocalServer

from .helpers import DESKTOP, PHONE, SERVER_ENV, launch
from .tour import tour

MEMBERS = ("ada@example.org", "katherine@example.org", "dorothy@example.org")  # local/members.csv
OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shoot(walk, prefix: str = "", **env: str) -> None:
    """Runs `walk(page, server)` against a local server and photographs each page it names (yields) at
    phone and desktop widths as docs/screenshots/<prefix><name>-<width>.png."""
    OUT.mkdir(parents=True, exist_ok=True)
    server = LocalServer(**{**SERVER_ENV, **env})
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport=PHONE)
            for name in walk(page, server):
                for size in (PHONE, DESKTOP):
                    page.set_viewport_size(size)
                    path = OUT / f"{prefix}{name}-{size['width']}.png"
                    page.screenshot(path=path, full_page=True)
                    print(path.relative_to(OUT.parents[1]))
                page.set_viewport_size(PHONE)
            browser.close()
    finally:
        server.stop()


def main() -> None:
    shoot(lambda page, server: tour(page, server, MEMBERS))


if __name__ == "__main__":
    main()
