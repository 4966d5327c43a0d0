"""Header and HTML injection attempts, from the API to the mail people receive."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from local.world import REQUEST

HOSTILE = '<script>alert(1)</script><a href="https://intros.example.org/link/forged">Accept here</a>'


@pytest.mark.parametrize("field", ["requester", "target"])
@pytest.mark.parametrize("name", ["Ada\r\nBcc: victim@example.com", "Ada\nLovelace", "Ada\rLovelace"])
def test_line_breaks_in_names_are_refused_with_a_clear_422(world, field, name):
    body = {**REQUEST, field: {**REQUEST[field], "name": name}}
    answer = world.post_json("/intros", json.dumps(body))
    assert answer.status == 422, answer.text
    assert "line breaks" in answer.text
    world.deliver()
    assert world.mail() == []


class Anchors(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.hrefs, self.tags = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]


def test_html_in_blurb_and_note_is_shown_as_text_in_both_parts(world):
    assert world.ask(blurb=f"Hello Alan. {HOSTILE}").status == 202
    world.deliver()
    world.post_form(world.last_link("ada@example.org"), {"decision": "confirm"})
    world.deliver()
    world.post_form(world.last_link("grace@example.org"), {"decision": "approve", "note": f"Note: {HOSTILE}"})
    world.deliver()
    (ask,) = world.mail_to("alan@example.net")
    page = Anchors(ask["html"])
    assert "script" not in page.tags
    assert "https://intros.example.org/link/forged" not in page.hrefs
    assert all(h.startswith("https://intros.example.org/") and "forged" not in h for h in page.hrefs)
    assert ask["html"].count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # blurb and note
    assert ask["text"].count(HOSTILE) == 2  # plain text: shown as typed, cannot be markup
