"""Intro <-> DynamoDB item, mapped explicitly so the stored shape can evolve apart from the domain.

The link grants are the largest part of an introduction (eleven by the follow-up) and DynamoDB bills
every write by the item's size in whole kilobytes, so they are stored packed: `links`, one binary of
the distinct expiries (unsigned 32-bit seconds; a few per introduction) and then 34 bytes a grant (the
32-byte SHA-256 the token hash encodes, the role's and the purpose's index in the tables below in one
byte, which of the expiries) instead of a map of about 74 bytes a grant. Items written before keep
`grants` (38 bytes a grant: the expiry in each) or their `tokens` map and read as before; a hash that
is not a SHA-256 in unpadded base64url (never one the domain makes) is stored in that map too.

The outbox and the history grow with every message and decision and are rewritten with the item, so
they are packed the same way (a completed introduction's outbox 30% smaller, its history 55%; an empty
`reminded` is not written at all): `outbox` one binary of a record per message
(kind, status, time, attempts, SES's id) and `history` one binary of a record per event (time, actor,
state, action, page). Items written before keep their maps and read as before; a value the tables below
do not hold (a kind, status or state added later but not yet to its table), a time outside 32 bits or a
text over 255 bytes is stored in the map form too (an SES id over 127). A person's map keeps its
fields under one-letter names (`SHORT`; full names written before still read). What the stream filter
and the indexes read as they are (`pending`, the index keys) stay as they were."""

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
_GRANT = struct.Struct(">32sBBI")  # digest, role, purpose, expires_at (`grants`, as written before)
# A person's fields in the item ("email" and "about" were written in full before).
SHORT = {"name": "n", "email": "e", "about": "a"}
LONG = {short: name for name, short in SHORT.items()}
_EXPIRY = struct.Struct(">I")  # `links`: how many expiries, each; then a _LINK per grant
_LINK = struct.Struct(">32sBB")  # digest, role << 4 | purpose, which expiry
KINDS = (
    Kind.CONFIRM_REQUEST,
    Kind.NOT_POSSIBLE,
    Kind.CONNECTOR_ASK,
    Kind.TARGET_ASK,
    Kind.INTRODUCTION,
    Kind.CLOSED,
    Kind.CONNECTOR_REMINDER,
    Kind.TARGET_REMINDER,
    Kind.FOLLOWUP,
    Kind.THANKS,
    Kind.CONFIRM_PROPOSAL,
    Kind.PROPOSAL_NOT_POSSIBLE,
    Kind.SECOND_ASK,
    Kind.SECOND_REMINDER,
    Kind.PROPOSAL_CLOSED,
    Kind.TARGET_FOLLOWUP,
)
STATUSES = (
    Delivery.PENDING,
    Delivery.HELD,
    Delivery.SENDING,
    Delivery.RETRY,
    Delivery.SENT,
    Delivery.FAILED,
    Delivery.SUPPRESSED,
    Delivery.CANCELLED,
)
STATES = (
    State.UNCONFIRMED,
    State.AWAITING_CONNECTOR,
    State.AWAITING_TARGET,
    State.INTRODUCED,
    State.DECLINED,
    State.WITHDRAWN,
    State.EXPIRED,
    State.REFUSED,
    State.AWAITING_SECOND,
)
_MESSAGE = struct.Struct(">BBIB")  # kind, status, at, attempts; then SES's id (`_ses_id`)
# SES's message ids are lower-case hex, digits and dashes (0100018c2f0bd7a3-3fbd0c5f-...-000000): 60
# characters in 40 bytes, as a number in this base (the local stand-in's letters fit it too).
ID_ALPHABET = "-0123456789abcdefghijklmnopqrstuvwxyz"
_EVENT = struct.Struct(">IBB")  # at, actor, state; then the action and the page as short texts


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
        "target": _person(intro.target),
        "blurb": intro.blurb,
        **_grants(intro.tokens),
        "outbox": _outbox(intro.outbox),
        "history": _history(intro.history),
        "month": _month(intro.created_at),
    }
    if intro.reminded:
        item["reminded"] = sorted(r.value for r in intro.reminded)
    for name in ("outbox", "history"):
        if not item[name]:  # an empty binary is read as nothing was there
            del item[name]
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
        requester=Person(**_person_of(item["requester"])),
        connector=Person(**_person_of(item["connector"])),
        target=Target(**_person_of(item["target"])),
        blurb=item.get("blurb", ""),
        note=item.get("note"),
        private_note=item.get("private_note"),
        acquaintance=item.get("acquaintance"),
        tokens=_links_of(item["links"])
        if "links" in item
        else _unpacked(item["grants"])
        if "grants" in item
        else {
            h: Grant(role=Role(g["r"]), purpose=Purpose(g["p"]), expires_at=int(g["x"]))
            for h, g in item.get("tokens", {}).items()
        },
        outbox=_outbox_of(item.get("outbox", {})),
        history=_history_of(item.get("history", [])),
        reminded=frozenset(Role(r) for r in item.get("reminded", [])),
        followup=item.get("followup"),
        decided_at=_int(item.get("decided_at")),
        asked_at=_int(item.get("asked_at")),
        flow=Flow(item.get("flow", Flow.REQUEST.value)),
        languages={Role(role): code for role, code in item.get("languages", {}).items()},
    )


def _grants(tokens: dict[str, Grant]) -> dict[str, Any]:
    if not tokens:
        return {}
    if not all(
        _digest(h) is not None and g.role in ROLES and g.purpose in PURPOSES and 0 <= g.expires_at < 2**32
        for h, g in tokens.items()
    ):
        return {
            "tokens": {
                h: {"r": g.role.value, "p": g.purpose.value, "x": g.expires_at} for h, g in tokens.items()
            }
        }
    expiries = sorted({g.expires_at for g in tokens.values()})
    if len(expiries) > 255 or len(ROLES) > 16 or len(PURPOSES) > 16:  # `links` cannot say it: as before
        return {
            "grants": b"".join(
                _GRANT.pack(_digest(h), ROLES.index(g.role), PURPOSES.index(g.purpose), g.expires_at)
                for h, g in tokens.items()
            )
        }
    links = bytearray([len(expiries)]) + b"".join(_EXPIRY.pack(x) for x in expiries)
    for h, g in tokens.items():
        kind = ROLES.index(g.role) << 4 | PURPOSES.index(g.purpose)
        links += _LINK.pack(_digest(h), kind, expiries.index(g.expires_at))
    return {"links": bytes(links)}


def _links_of(value: Any) -> dict[str, Grant]:
    """`links` in any form storage hands it over (see _bytes)."""
    raw = _bytes(value)
    start = 1 + _EXPIRY.size * raw[0]
    expiries = [x for (x,) in _EXPIRY.iter_unpack(raw[1:start])]
    return {
        base64.urlsafe_b64encode(digest).decode().rstrip("="): Grant(
            ROLES[kind >> 4], PURPOSES[kind & 0x0F], expiries[expiry]
        )
        for digest, kind, expiry in _LINK.iter_unpack(raw[start:])
    }


def _digest(token_hash: str) -> bytes | None:
    """The 32 bytes an unpadded base64url SHA-256 (domain.tokens.digest) encodes; None for anything else."""
    if len(token_hash) != 43:
        return None
    try:
        raw = base64.urlsafe_b64decode(token_hash + "=")
    except (binascii.Error, ValueError):
        return None
    return raw if base64.urlsafe_b64encode(raw).decode().rstrip("=") == token_hash else None


def _bytes(value: Any) -> bytes:
    """A binary as boto3 reads it (Binary), as bytes, or as a stream event carries it (base64 text)."""
    raw = value.value if hasattr(value, "value") else value
    return base64.b64decode(raw) if isinstance(raw, str) else bytes(raw)


def _short(text: str) -> bytes | None:
    """A text as a length byte and its UTF-8; None when it is longer than 255 bytes."""
    raw = text.encode()
    return bytes([len(raw)]) + raw if len(raw) < 256 else None


def _outbox(outbox: dict[Kind, Message]) -> Any:
    packed = bytearray()
    for kind, m in outbox.items():
        ses_id = _ses_id(m.ses_id or "")
        if (
            kind not in KINDS
            or m.status not in STATUSES
            or not 0 <= m.at < 2**32
            or not 0 <= m.attempts < 256
            or ses_id is None
        ):
            return {k.value: _message(msg) for k, msg in outbox.items()}
        packed += _MESSAGE.pack(KINDS.index(kind), STATUSES.index(m.status), m.at, m.attempts) + ses_id
    return bytes(packed)


def _outbox_of(value: Any) -> dict[Kind, Message]:
    if isinstance(value, dict):  # the map form: written before, or a value the tables do not hold
        return {
            Kind(k): Message(
                kind=Kind(k),
                status=Delivery(m["s"]),
                at=int(m["at"]),
                attempts=int(m.get("n", 0)),
                ses_id=m.get("id"),
            )
            for k, m in value.items()
        }
    raw, at, outbox = _bytes(value), 0, {}
    while at < len(raw):
        kind, status, when, attempts = _MESSAGE.unpack_from(raw, at)
        ses_id, at = _ses_id_of(raw, at + _MESSAGE.size)
        outbox[KINDS[kind]] = Message(KINDS[kind], STATUSES[status], when, attempts, ses_id or None)
    return outbox


def _history(history: tuple[Event, ...]) -> Any:
    packed = bytearray()
    for e in history:
        action, via = _short(e.action), _short(e.via)
        if e.actor not in ROLES or e.state not in STATES or not 0 <= e.at < 2**32 or not (action and via):
            return [
                {"at": e.at, "by": e.actor.value, "do": e.action, "st": e.state.value, "via": e.via}
                for e in history
            ]
        packed += _EVENT.pack(e.at, ROLES.index(e.actor), STATES.index(e.state)) + action + via
    return bytes(packed)


def _history_of(value: Any) -> tuple[Event, ...]:
    if isinstance(value, list):  # the list form: written before, or a value the tables do not hold
        return tuple(
            Event(
                at=int(e["at"]),
                actor=Role(e["by"]),
                action=e["do"],
                state=State(e["st"]),
                via=e.get("via", ""),
            )
            for e in value
        )
    raw, at, events = _bytes(value), 0, []
    while at < len(raw):
        when, actor, state = _EVENT.unpack_from(raw, at)
        action, at = _text(raw, at + _EVENT.size)
        via, at = _text(raw, at)
        events.append(Event(when, ROLES[actor], action, STATES[state], via))
    return tuple(events)


def _ses_id(text: str) -> bytes | None:
    """A length byte, then the id: with the top bit set, as a number in ID_ALPHABET's base; else its
    UTF-8. None when it is 128 bytes or longer."""
    if 0 < len(text) < 128 and all(c in ID_ALPHABET for c in text):
        number = 0
        for c in text:
            number = number * len(ID_ALPHABET) + ID_ALPHABET.index(c)
        return bytes([0x80 | len(text)]) + number.to_bytes(_id_size(len(text)))
    raw = text.encode()
    return bytes([len(raw)]) + raw if len(raw) < 128 else None


def _ses_id_of(raw: bytes, at: int) -> tuple[str, int]:
    if not raw[at] & 0x80:
        return _text(raw, at)
    length, at = raw[at] & 0x7F, at + 1
    number, chars = int.from_bytes(raw[at : at + _id_size(length)]), []
    for _ in range(length):
        number, digit = divmod(number, len(ID_ALPHABET))
        chars.append(ID_ALPHABET[digit])
    return "".join(reversed(chars)), at + _id_size(length)


def _id_size(length: int) -> int:
    largest: int = len(ID_ALPHABET) ** length - 1
    return (largest.bit_length() + 7) // 8


def _text(raw: bytes, at: int) -> tuple[str, int]:
    """The short text at `at` and where the next field starts."""
    end = at + 1 + raw[at]
    return raw[at + 1 : end].decode(), end


def _unpacked(value: Any) -> dict[str, Grant]:
    """`grants` as boto3 reads it (Binary), as bytes, or as a stream event carries it (base64 text)."""
    raw = _bytes(value)
    return {
        base64.urlsafe_b64encode(digest).decode().rstrip("="): Grant(
            ROLES[role], PURPOSES[purpose], expires_at
        )
        for digest, role, purpose, expires_at in _GRANT.iter_unpack(raw)
    }


def _person(p: Person | Target) -> dict[str, str]:
    return {SHORT[k]: v for k, v in vars(p).items() if v is not None}


def _person_of(stored: dict[str, Any]) -> dict[str, Any]:
    """Its fields under their short names, or their full ones (written before)."""
    return {LONG.get(k, k): v for k, v in stored.items()}


def email_in(stored: dict[str, Any]) -> str | None:
    """The address a stored person holds, if any (for the reads that project it: stored_addresses)."""
    return stored.get(SHORT["email"]) or stored.get("email")


def _message(m: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"s": m.status.value, "at": m.at, "n": m.attempts}
    if m.ses_id:
        out["id"] = m.ses_id
    return out


def _month(epoch: int) -> str:
    return strftime("%Y-%m", gmtime(epoch))


def _int(value: Decimal | int | None) -> int | None:
    return None if value is None else int(value)
