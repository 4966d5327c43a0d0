"""Intro <-> DynamoDB item, mapped explicitly so the stored shape can evolve apart from the domain.

The link grants are the largest part of an introduction (eleven by the follow-up) and DynamoDB bills
every write by the item's size in whole kilobytes, so they are stored packed: `grants`, one binary of
38 bytes a grant (the 32-byte SHA-256 the token hash encodes, the role's and the purpose's index in the
tables below, the expiry as an unsigned 32-bit second) instead of a map of about 74 bytes a grant.
Items written before keep their `tokens` map and read as before; a hash that is not a SHA-256 in
unpadded base64url (never one the domain makes) is stored in that map too."""

from __future__ import annotations

import base64
import binascii
import struct
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
# Stored as their index in these tables: append only, never reorder.
ROLES = (Role.REQUESTER, Role.CONNECTOR, Role.TARGET, Role.SYSTEM)
PURPOSES = (
    Purpose.CONFIRM,
    Purpose.REVIEW,
    Purpose.CONSENT,
    Purpose.FOLLOWUP,
    Purpose.OPTOUT,
    Purpose.PAUSE,
    Purpose.WEEKLY,
)
_GRANT = struct.Struct(">32sBBI")  # digest, role, purpose, expires_at


def intro_key(intro_id: str) -> dict[str, str]:
    return {"pk": f"INTRO#{intro_id}", "sk": "INTRO"}


def intro_id_of(pk: str) -> str:
    return pk.removeprefix("INTRO#")


def intro_id_in(keys: dict[str, Any]) -> str | None:
    """The introduction a stream record's keys (as stored: {"pk": {"S": ...}, ...}) are of, if any."""
    pk = keys.get("pk", {}).get("S", "")
    return intro_id_of(pk) if pk.startswith("INTRO#") else None


def intro_from_image(image: dict[str, Any] | None) -> Intro | None:
    """The introduction a stream record's new image holds; None for any other item."""
    if not image or not str(image.get("pk", "")).startswith("INTRO#"):
        return None
    return from_item(image)


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
        **_grants(intro.tokens),
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
        id=intro_id_of(item["pk"]),
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
        tokens=_unpacked(item["grants"])
        if "grants" in item
        else {
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


def _grants(tokens: dict[str, Grant]) -> dict[str, Any]:
    packed = bytearray()
    for h, g in tokens.items():
        digest = _digest(h)
        if (
            digest is None
            or g.role not in ROLES
            or g.purpose not in PURPOSES
            or not 0 <= g.expires_at < 2**32
        ):
            return {
                "tokens": {
                    h: {"r": g.role.value, "p": g.purpose.value, "x": g.expires_at} for h, g in tokens.items()
                }
            }
        packed += _GRANT.pack(digest, ROLES.index(g.role), PURPOSES.index(g.purpose), g.expires_at)
    return {"grants": bytes(packed)} if packed else {}


def _digest(token_hash: str) -> bytes | None:
    """The 32 bytes an unpadded base64url SHA-256 (domain.tokens.digest) encodes; None for anything else."""
    if len(token_hash) != 43:
        return None
    try:
        raw = base64.urlsafe_b64decode(token_hash + "=")
    except (binascii.Error, ValueError):
        return None
    return raw if base64.urlsafe_b64encode(raw).decode().rstrip("=") == token_hash else None


def _unpacked(value: Any) -> dict[str, Grant]:
    """`grants` as boto3 reads it (Binary), as bytes, or as a stream event carries it (base64 text)."""
    raw = value.value if hasattr(value, "value") else value
    raw = base64.b64decode(raw) if isinstance(raw, str) else bytes(raw)
    return {
        base64.urlsafe_b64encode(digest).decode().rstrip("="): Grant(
            ROLES[role], PURPOSES[purpose], expires_at
        )
        for digest, role, purpose, expires_at in _GRANT.iter_unpack(raw)
    }


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
