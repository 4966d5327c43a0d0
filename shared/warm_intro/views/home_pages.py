"""The home page's three lists, in the words people already see on their links' pages: what waits
for you, your requests (as domain.disclosure lets a requester see them), your introductions (as
views.link_pages tells a connector or target; a proposal its connector made, in the same words as a
request, withdrawable while open). Never who declined. Every word in the language `_` translates to."""

from __future__ import annotations

from collections.abc import Callable

from ..domain.actors import can_act
from ..domain.directory import address_hidden
from ..domain.disclosure import Seen, seen_by_requester
from ..domain.model import Role
from ..domain.proposal import is_proposal
from ..services.home import Item
from . import proposal_pages
from .catalogs import N_
from .link_pages import outcome

REQUEST_WORDS = {
    Seen.UNCONFIRMED: N_("Waiting for you to confirm it"),
    Seen.ON_ITS_WAY: N_("On its way"),
    Seen.INTRODUCED: N_("Introduced"),
    Seen.WITHDRAWN: N_("You withdrew it"),
    Seen.CLOSED: N_("Won't happen right now"),
    Seen.LAPSED: N_("Lapsed: it wasn't confirmed in time"),
    Seen.NOT_POSSIBLE: N_("Couldn't be passed on"),
}


type Line = tuple[Item, str, str, str]


def _english(message: str) -> str:
    return message


def lists(items: list[Item], _: Callable[[str], str] = _english) -> dict[str, list[Line]]:
    """Each list holds (item, what it is, its state in words, the button's label)."""
    waiting: list[Line] = []
    requests: list[Line] = []
    intros: list[Line] = []
    for item in items:
        if item.started:
            seen = seen_by_requester(item.intro)
            mine = requests if item.role is Role.REQUESTER else intros
            label = _("Open, or withdraw") if seen.is_open else _("See its page")
            mine.append((item, _title(item, _), _(REQUEST_WORDS[seen]), label))
        elif can_act(item.intro, item.grant):
            waiting.append((item, _title(item, _, waiting=True), "", _("Open and answer")))
        else:
            intros.append((item, _title(item, _), outcome(item.intro, item.grant, _)[0], _("See its page")))
    return {"waiting": waiting, "requests": requests, "intros": intros}


def _title(item: Item, _: Callable[[str], str], waiting: bool = False) -> str:
    intro, role = item.intro, item.role
    names = {
        "r": intro.requester.name,
        "t": intro.target.name,
        "c": intro.connector.name or intro.connector.email,
    }
    if is_proposal(intro):
        if role is Role.CONNECTOR:
            return _("You suggested %(t)s and %(r)s meet") % names
        names["them"] = proposal_pages.other(intro, role)
        if waiting:
            return _("%(c)s thinks you and %(them)s should meet") % names
        return _("%(them)s, through %(c)s") % names
    if role is Role.REQUESTER:
        names["through"] = intro.connector.name if address_hidden(intro) else intro.connector.email
        return _("To meet %(t)s, through %(through)s") % names
    if role is Role.CONNECTOR:
        return (_("%(r)s asks you to introduce them to %(t)s") if waiting else _("%(r)s and %(t)s")) % names
    return (_("%(r)s would like to meet you") if waiting else _("%(r)s, through %(c)s")) % names
