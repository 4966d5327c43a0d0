"""Which language each person reads: the shipped languages, a browser's preference matched to them,
and the one language a message to several people is written in."""

from __future__ import annotations

from typing import TypeGuard

from .model import Intro, Role

# Adding a language: its catalog in locales/<code>/LC_MESSAGES/messages.po and one line here (docs/languages.md).
SHIPPED: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
}
# Written right to left; a shipped language with one of these codes gets dir="rtl" on its pages.
RTL = frozenset({"ar", "fa", "he", "ur", "yi", "ps", "dv", "ckb"})
# For finding words outside the catalogs and layouts that break: accented, about 40 % longer, each message
# between ⟦ ⟧; ar-XB also right to left. Only ever chosen by name (?lang=), never offered or remembered.
PSEUDO = {"en-XA": "ltr", "ar-XB": "rtl"}
SOURCE = "en"  # the language the templates are written in: its catalog is the templates themselves


def is_shipped(code: str | None) -> TypeGuard[str]:
    return code in SHIPPED


def pickable(code: str | None) -> str | None:
    """`code` if a page may be shown in it (a shipped language or a pseudo-locale), else None."""
    return code if code in SHIPPED or code in PSEUDO else None


def direction(code: str) -> str:
    if code in PSEUDO:
        return PSEUDO[code]
    return "rtl" if code.split("-")[0] in RTL else "ltr"


def negotiate(accept_language: str | None, default: str) -> str:
    """The shipped language a browser's Accept-Language header prefers most, else `default`.
    'de-CH' matches 'de'; q=0 means "not this one"; ties keep the header's order."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, index, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        if (code := tag.split("-")[0]) in SHIPPED:
            return code
    return default


def of(intro: Intro, role: Role, default: str) -> str:
    """The language `role` reads: their own choice, once made, else the organisation's."""
    chosen = intro.languages.get(role)
    return chosen if is_shipped(chosen) else default


def shared_by(intro: Intro, roles: tuple[Role, ...], default: str) -> str:
    """One message to several people: the language they all read, else the organisation's."""
    spoken = {of(intro, role, default) for role in roles}
    return spoken.pop() if len(spoken) == 1 else default


def chosen(intro: Intro, role: Role, code: str | None) -> Intro:
    """`intro` remembering that `role` reads `code` (a shipped language; anything else changes nothing)."""
    if not is_shipped(code) or role is Role.SYSTEM or intro.languages.get(role) == code:
        return intro
    return intro.evolve(languages={**intro.languages, role: code})
