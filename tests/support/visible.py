"""What a reader sees of a page or an email, and the words in it that no catalog translated."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from warm_intro.domain.languages import SHIPPED

SEEN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "value")
HIDDEN = ("style", "script", "title")


class Visible(HTMLParser):
    """Text nodes and the attributes a reader (or a screen reader) meets; not <style>, nor the value of
    a hidden or user-filled input, nor the language switch, which names each language in itself."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []
        self.root: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.root = {k: v or "" for k, v in attrs.items()}
        if tag in HIDDEN or (tag in ("a", "span") and attrs.get("lang")):
            self._skip.append(tag)
        if tag == "input" and attrs.get("type") in ("hidden", "text", "email"):
            return
        for name in SEEN_ATTRIBUTES:
            if attrs.get(name) and name != "value":
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def untranslated(text: str, known: tuple[str, ...] = ()) -> list[str]:
    """Words left once every pseudo-translated message (between ⟦ ⟧), every address and link, every
    value a person typed (`known`) and every language's own name are taken out: words that come from
    a template or code outside any translation call."""
    rest = unescape(text)
    while (inner := re.sub(r"⟦[^⟦⟧]*⟧", " ", rest)) != rest:  # a message may hold another
        rest = inner
    rest = re.sub(r"https?://\S+|\S+@\S+", " ", rest)
    for value in sorted((*known, *SHIPPED.values()), key=len, reverse=True):
        for line in value.splitlines():
            if line.strip():
                rest = rest.replace(line.strip(), " ")
    return re.findall(r"[^\W\d_]{2,}", rest)
