"""An export holds only what its person gave or was shown (issue 11, item 4), through the services
against moto. A requester's export reads the same whoever ended a request without an introduction
(the `privateno` work relies on it) and never holds an address or a note they were not shown."""

from __future__ import annotations

import pytest

from warm_intro.domain.hashing import address_hash

from .deployment import deployment

ADA, GRACE = ("ada@example.org", "Ada Lovelace"), ("grace@example.org", "Grace Hopper")
ALAN = ("Alan Turing", "alan.turing@gmail.com")
PRIVATE = "between us: I don't know Alan well enough"


def close(d, how: str, target_given: bool) -> str:
    """One request for Alan, ended `how`; the connector supplies Alan's address when Ada did not."""
    intro = d.ask(ADA, GRACE[0], (ALAN[0], ALAN[1] if target_given else None))
    if how == "unconfirmed lapses":
        d.advance(2)
        return intro
    assert d.answer(ADA[0], intro, "confirm")
    if how == "connector declines":
        assert d.answer(GRACE[0], intro, "decline", note=PRIVATE)
        return intro
    if how == "connector opted out":
        assert d.answer(GRACE[0], intro, "opt_out", kind="optout")
        return intro
    if how == "connector silent":
        d.advance(11)
        return intro
    approve = {} if target_given else {"target_email": ALAN[1]}
    assert d.answer(GRACE[0], intro, "approve", note="Alan, Ada is lovely.", **approve)
    if how == "target silent":
        d.advance(11)
    elif how == "target opted out earlier":
        pass  # set up before the request: the approval closed it at once
    else:
        assert d.answer(ALAN[1], intro, {"target declines": "decline", "target opts out": "opt_out"}[how])
    return intro


ENDINGS = [
    "connector declines",
    "connector opted out",
    "connector silent",
    "target declines",
    "target opts out",
    "target silent",
    "target opted out earlier",
]


def requester_view(how: str, target_given: bool) -> dict:
    with deployment() as d:
        for email, name in (ADA, GRACE):
            d.member(email, name)
        if how == "target opted out earlier":
            d.repo.suppress(address_hash(ALAN[1], d.settings.hash_key), "opted_out", d.now)
        close(d, how, target_given)
        d.advance(21)  # past the one moment a requester hears of any ending (domain.disclosure)
        (view,) = d.export(ADA[0])["introductions"]
        return view


def neutral(view: dict) -> dict:
    """The view without what differs by construction: the id and the times."""
    return {
        k: v if k != "consent_record" else [(e["as"], e["action"], e["via"]) for e in v]
        for k, v in view.items()
        if k not in ("id", "requested_at")
    }


@pytest.mark.parametrize(
    "target_given", [True, False], ids=["requester gave the address", "connector gave it"]
)
def test_a_requesters_export_reads_the_same_whoever_said_no(target_given):
    views = {how: requester_view(how, target_given) for how in ENDINGS}
    first = neutral(views[ENDINGS[0]])
    assert first["state"] == "closed" and first["roles"] == ["requester"]
    assert first["target"] == {"name": ALAN[0]}, "an address the requester was never shown"
    assert first["connector"] == {"email": GRACE[0]}
    assert "private_note" not in first and "note_to_target" not in first
    for how, view in views.items():
        assert neutral(view) == first, f"'{how}' reads differently from '{ENDINGS[0]}'"


def test_once_introduced_the_requester_sees_whom_they_met_and_the_connector_their_own_note():
    with deployment() as d:
        for email, name in (ADA, GRACE):
            d.member(email, name)
        intro = d.ask(ADA, GRACE[0], (ALAN[0], None))
        assert d.answer(ADA[0], intro, "confirm")
        assert d.answer(GRACE[0], intro, "approve", target_email=ALAN[1], note="Alan, Ada is lovely.")
        mid = d.export(ADA[0])["introductions"][0]
        assert mid["state"] == "on_its_way" and "email" not in mid["target"]
        assert d.export(ALAN[1])["introductions"][0]["requester"] == {
            "name": ADA[1]
        }  # the ask names, not addresses
        assert d.answer(ALAN[1], intro, "accept")
        (view,) = d.export(ADA[0])["introductions"]
        assert view["state"] == "introduced" and view["target"]["email"] == ALAN[1]
        assert view["connector"] == {"name": GRACE[1], "email": GRACE[0]}
        (connector,) = d.export(GRACE[0])["introductions"]
        assert (
            connector["note_to_target"] == "Alan, Ada is lovely."
            and connector["requester"]["email"] == ADA[0]
        )
