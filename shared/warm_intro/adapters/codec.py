"""Intro <-> DynamoDB item, mapped explicitly so the stored shape can evolve apart from the domain."""

from __future__ import annotations

from decimal import Decimal
from time import gmtime, strftime
from typing import Any

from ..domain.delivery import pending
from ..domain.model import (
    Delivery,
    Event,
    Flow,
    Grant,
    Intro,
    Kind,
    Message,
    Person,
    Purpose,
    Role,
    State,
    Target,
)
from ..domain.rules import Timings
from ..domain.schedule import due_at

DUE_PARTITION = "due"


def intro_key(intro_id: str) -> dict[str, str]:
    return {"pk": f"INTRO#{intro_id}", "sk": "INTRO"}


def to_item(intro: Intro, timings: Timings) -> dict[str, Any]:
    item: dict[str, Any] = {
        **intro_key(intro.id),
        "state": intro.state.value,
        "v": intro.version,
        "created_at": intro.created_at,
        "updated_at": intro.updated_at,
        "requester": _person(intro.requester),
        "connector": _person(intro.connector),
        "target": {k: v for k, v in vars(intro.target).items() if v is not None},
        "blurb": intro.blurb,
        "tokens": {
            h: {"r": g.role.value, "p": g.purpose.value, "x": g.expires_at} for h, g in intro.tokens.items()
        },
        "outbox": {k.value: _message(m) for k, m in intro.outbox.items()},
        "history": [
            {"at": e.at, "by": e.actor.value, "do": e.action, "st": e.state.value, "via": e.via}
            for e in intro.history
        ],
        "reminded": sorted(r.value for r in intro.reminded),
        "month": _month(intro.created_at),
    }
    optional = {
        "note": intro.note,
        "private_note": intro.private_note,
        "acquaintance": intro.acquaintance,
        "followup": intro.followup,
        "decided_at": intro.decided_at,
        "asked_at": intro.asked_at,
        "flow": None if intro.flow is Flow.REQUEST else intro.flow.value,  # requests stored as before
        "languages": {role.value: code for role, code in intro.languages.items()} or None,
    }
    item.update({k: v for k, v in optional.items() if v is not None})
    if kinds := pending(intro):
        item["pending"] = {k.value for k in kinds}  # what the stream filter lets through to the notifier
    if (when := due_at(intro, timings)) is not None:
        item["due_pk"], item["due_at"] = DUE_PARTITION, when
    return item


def from_item(item: dict[str, Any]) -> Intro:
    return Intro(
        id=item["pk"].removeprefix("INTRO#"),
        state=State(item["state"]),
        version=int(item["v"]),
        created_at=int(item["created_at"]),
        updated_at=int(item["updated_at"]),
        requester=Person(**item["requester"]),
        connector=Person(**item["connector"]),
        target=Target(**item["target"]),
        blurb=item.get("blurb", ""),
        note=item.get("note"),
        private_note=item.get("private_note"),
        acquaintance=item.get("acquaintance"),
        tokens={
            h: Grant(role=Role(g["r"]), purpose=Purpose(g["p"]), expires_at=int(g["x"]))
            for h, g in item.get("tokens", {}).items()
        },
        outbox={
            Kind(k): Message(
                kind=Kind(k),
                status=Delivery(m["s"]),
                at=int(m["at"]),
                attempts=int(m.get("n", 0)),
                ses_id=m.get("id"),
            )
            for k, m in item.get("outbox", {}).items()
        },
        history=tuple(
            Event(
                at=int(e["at"]),
                actor=Role(e["by"]),
                action=e["do"],
                state=State(e["st"]),
                via=e.get("via", ""),
            )
            for e in item.get("history", [])
        ),
        reminded=frozenset(Role(r) for r in item.get("reminded", [])),
        followup=item.get("followup"),
        decided_at=_int(item.get("decided_at")),
        asked_at=_int(item.get("asked_at")),
        flow=Flow(item.get("flow", Flow.REQUEST.value)),
        languages={Role(role): code for role, code in item.get("languages", {}).items()},
    )


def _person(p: Person) -> dict[str, str]:
    return {"name": p.name, "email": p.email, **({"about": p.about} if p.about is not None else {})}


def _message(m: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"s": m.status.value, "at": m.at, "n": m.attempts}
    if m.ses_id:
        out["id"] = m.ses_id
    return out


def _month(epoch: int) -> str:
    return strftime("%Y-%m", gmtime(epoch))


def _int(value: Decimal | int | None) -> int | None:
    return None if value is None else int(value)
