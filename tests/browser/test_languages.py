"""The request form and the consent page at 390 px in every language and both pseudo-locales (40 %
longer words, right to left): nothing sticks out or is cut off, the page says its language and
direction, and axe finds nothing serious."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from warm_intro.domain.languages import direction

from .languages import LANGUAGES, clipped, pages

pytestmark = pytest.mark.browser


def test_the_form_and_the_consent_page_fit_a_phone_in_every_language(page, server):
    axe, seen, problems = Axe(), [], []
    for name, code in pages(page, server):
        seen.append((name, code))
        root = page.locator("html")
        assert (root.get_attribute("lang"), root.get_attribute("dir")) == (code, direction(code)), name
        found = clipped(page)
        if found["extra"] > 0 or found["cut"] or found["outside"]:
            problems.append((name, code, found))
        report = axe.run(page).response
        assert report["passes"], f"axe did not run on {name} in {code}"
        serious = [v["id"] for v in report["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, f"{name} in {code}: {serious}"
    assert len(seen) == 2 * len(LANGUAGES)
    assert problems == []
