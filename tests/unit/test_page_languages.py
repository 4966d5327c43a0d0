"""The pages a link in an email's footer or the welcome mail opens (pause, at most one a week, happy
to be asked), in every shipped language and both pseudo-locales: the right lang and dir, no word
outside the catalogs. The other pages go through the real handlers in tests/integration/test_languages.py."""

from __future__ import annotations

import pytest

from local.screenshot_emails import SETTINGS
from tests.support.visible import Visible, untranslated
from warm_intro.domain.languages import PSEUDO, SHIPPED, direction
from warm_intro.web import html

PAGES = {
    "pause": ("pause.html", {}),
    "weekly": ("weekly.html", {}),
    "welcome": ("welcome.html", {"name": "Ada Lovelace", "agreed": False}),
    "welcomed": ("welcome.html", {"name": "Ada Lovelace", "agreed": True}),
}


def page(name: str, code: str) -> Visible:
    template, context = PAGES[name]
    return Visible(html(SETTINGS, template, language=code, **context).body)


@pytest.mark.parametrize("code", [*SHIPPED, *PSEUDO])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_is_in_its_language(name, code):
    shown = page(name, code)
    assert shown.root == {"lang": code, "dir": direction(code)}
    if code in PSEUDO:
        assert untranslated(shown.text, ("Ada Lovelace", SETTINGS.org_name)) == []
    elif code != "en":
        assert shown.text != page(name, "en").text
