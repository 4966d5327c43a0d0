"""The home page's three lists, in the words people already see on their links' pages: what waits
for you, your requests (as domain.disclosure lets a requester see them), your introductions (as
views.link_pages tells a connector or target). Never who declined."""

from __future__ import annotations

from ..domain.actors import can_act
from ..domain.disclosure import Seen, seen_by_requester
from ..domain.model import Role
from ..services.home import Item
from .link_pages import outcome

REQUEST_WORDS = {
    Seen.UNCONFIRMED: "Waiting for you to confirm it",
    Seen.ON_ITS_WAY: "On its way",
    Seen.INTRODUCED: "Introduced",
    Seen.WITHDRAWN: "You withdrew it",
    Seen.CLOSED: "Won't happen right now",
    Seen.LAPSED: "Lapsed: it wasn't confirmed in time",
    Seen.NOT_POSSIBLE: "Couldn't be passed on",
}


def lists(items: list[Item]) -> dict:
    waiting, requests, intros = [], [], []
    for item in items:
        if item.role is Role.REQUESTER:
            seen = seen_by_requester(item.intro)
            requests.append((item, REQUEST_WORDS[seen], seen.is_open))
        elif can_act(item.intro, item.grant):
            waiting.append(item)
        else:
            intros.append((item, outcome(item.intro, item.grant)[0]))
    return {"waiting": waiting, "requests": requests, "intros": intros}
