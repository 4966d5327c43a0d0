"""Every page, at phone and desktop widths: no serious or critical axe-core finding, nothing fetched
from anywhere but the service itself, no console error (a CSP block would show there), one <h1>."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import DESKTOP, PHONE
from .tour import PAGES, tour

pytestmark = pytest.mark.browser


def test_every_page_is_accessible_and_self_contained(page, server):
    axe, errors, seen = Axe(), [], []
    # Chromium logs every 4xx page as "Failed to load resource"; those statuses are intended (see test_pages).
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None,
    )
    for name in tour(page, server):
        seen.append(name)
        assert page.locator("h1").count() == 1, name
        assert page.locator("html").get_attribute("lang") == "en", name
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            report = axe.run(page).response
            assert report["passes"], f"axe did not run on {name}"
            found = report["violations"]
            serious = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
                for v in found
                if v["impact"] in ("serious", "critical")
            ]
            assert not serious, f"{name} at {size['width']}px: {serious}"
        page.set_viewport_size(PHONE)
    assert seen == PAGES
    assert errors == []
    assert page.requested and all(url.startswith(server.base + "/") for url in page.requested), sorted(
        {u for u in page.requested if not u.startswith(server.base)}
    )
