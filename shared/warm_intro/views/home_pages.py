"""The home page's three lists, in the words people already see on their links' pages: what waits
for you, your requests (as domain.disclosure lets a requester see them), your introductions (as
views.link_pages tells a connector or target; a proposal its connector made, in the same words as a
request, withdrawable while open). Never who declined."""

from __future__ import annotations

from ..domain.actors import can_act
from ..domain.directory import address_hidden
from ..domain.disclosure import Seen, seen_by_requester
from ..domain.model import Role
from ..domain.proposal import is_proposal
from ..services.home import Item
from . import proposal_pages
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


type Line = tuple[Item, str, str, str]


def lists(items: list[Item]) -> dict[str, list[Line]]:
    """Each list holds (item, what it is, its state in words, the button's label)."""
    waiting: list[Line] = []
    requests: list[Line] = []
    intros: list[Line] = []
    for item in items:
        if item.started:
            seen = seen_by_requester(item.intro)
            mine = requests if item.role is Role.REQUESTER else intros
            label = "Open, or withdraw" if seen.is_open else "See its page"
            mine.append((item, _title(item), REQUEST_WORDS[seen], label))
        elif can_act(item.intro, item.grant):
            waiting.append((item, _title(item, waiting=True), "", "Open and answer"))
        else:
            intros.append((item, _title(item), outcome(item.intro, item.grant)[0], "See its page"))
    return {"waiting": waiting, "requests": requests, "intros": intros}


def _title(item: Item, waiting: bool = False) -> str:
    intro, role = item.intro, item.role
    r, t, c = intro.requester.name, intro.target.name, intro.connector.name or intro.connector.email
    if is_proposal(intro):
        if role is Role.CONNECTOR:
            return f"You suggested {t} and {r} meet"
        them = proposal_pages.other(intro, role)
        return f"{c} thinks you and {them} should meet" if waiting else f"{them}, through {c}"
    if role is Role.REQUESTER:
        through = intro.connector.name if address_hidden(intro) else intro.connector.email
        return f"To meet {t}, through {through}"
    if role is Role.CONNECTOR:
        return f"{r} asks you to introduce them to {t}" if waiting else f"{r} and {t}"
    return f"{r} would like to meet you" if waiting else f"{r}, through {c}"
