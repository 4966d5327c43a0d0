"""Erasure and export are complete, and never hand out someone else's address (issue 11, item 4),
through the services against moto, over random lifecycles: several requests between the same three
people under different spellings, each walked a random way (closing at once when the connector is
not a member or the target opted out earlier), with time passing; then one participant is erased."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.test_mailbox import respelled
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.mailbox import canonical

from .deployment import deployment

PEOPLE = {
    "requester": ("rhea.quillon@example.org", "Rhea Quillon"),
    "connector": ("cato.wexley@gmail.com", "Cato Wexley"),
    "target": ("tamsin.vaughan@gmail.com", "Tamsin Vaughan"),
}
KIT = ("kit.marlowe@example.org", "Kit Marlowe")  # another member, to ask again after erasure
PATHS = {
    "unconfirmed": [],
    "confirmed": [("requester", "confirm")],
    "connector declines": [("requester", "confirm"), ("connector", "decline")],
    "connector opts out": [("requester", "confirm"), ("connector", "opt_out")],
    "approved": [("requester", "confirm"), ("connector", "approve")],
    "introduced": [("requester", "confirm"), ("connector", "approve"), ("target", "accept")],
    "target declines": [("requester", "confirm"), ("connector", "approve"), ("target", "decline")],
    "target opts out": [("requester", "confirm"), ("connector", "approve"), ("target", "opt_out")],
    "withdrawn": [("requester", "confirm"), ("connector", "approve"), ("requester", "withdraw")],
}
DAYS = st.sampled_from([0, 0, 1, 5, 11, 31, 61, 400])


@st.composite
def requests(draw) -> dict:
    spell = {
        who: draw(st.one_of(st.just(email), respelled(email, ascii_only=True)).map(str.strip))
        for who, (email, _) in PEOPLE.items()
    }
    return {
        "spelled": spell,
        "target_given": draw(st.booleans()),
        "path": draw(st.sampled_from(sorted(PATHS))),
        "then_days": draw(DAYS),
    }


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(
    lifecycle=st.lists(requests(), min_size=1, max_size=3),
    erased=st.sampled_from(sorted(PEOPLE)),
    data=st.data(),
)
def test_after_any_lifecycle_erasure_leaves_nothing_of_the_person_and_their_opt_out_holds(
    lifecycle, erased, data
):
    with deployment() as d:
        for email, name in [*PEOPLE.values(), KIT]:
            d.member(email, name)
        spellings = {who: {email} for who, (email, _) in PEOPLE.items()}
        for request in lifecycle:
            spelled = request["spelled"]
            for who in PEOPLE:
                spellings[who].add(spelled[who])
            intro = d.ask(
                (spelled["requester"], PEOPLE["requester"][1]),
                spelled["connector"],
                (PEOPLE["target"][1], spelled["target"] if request["target_given"] else None),
            )
            for who, decision in PATHS[request["path"]]:
                fields = {}
                if decision == "approve":
                    fields = {"target_email": spelled["target"]}
                    if request["target_given"]:
                        fields = {}
                kind = "optout" if who == "connector" and decision == "opt_out" else "link"
                d.answer(spelled[who], intro, decision, kind=kind, **fields)
            assert_every_stored_address_is_indexed(d)
            d.advance(request["then_days"])
            assert_every_stored_address_is_indexed(d)
        key = d.settings.hash_key
        email, name = PEOPLE[erased]
        opted_out = bool(d.repo.suppressed([address_hash(email, key)]))
        d.erase(data.draw(st.sampled_from(sorted(spellings[erased])), label="erased as"))
        d.deliver()

        forbidden = {s.lower() for s in spellings[erased]} | {canonical(s) for s in spellings[erased]}
        for item in d.items():
            text = json.dumps(item, default=bytes.hex).lower()
            assert not [s for s in forbidden if s in text], (
                f"an address of the erased {erased} is left: {item}"
            )
            if not named_without_address(item, erased):
                assert name.lower() not in text, f"the erased {erased}'s name is left: {item}"
        assert d.export(email)["introductions"] == []
        assert bool(d.repo.suppressed([address_hash(s, key) for s in spellings[erased]])) == opted_out
        if opted_out and erased == "target":  # asked again under another spelling: nobody mails them
            mailed = len(d.mail_to(email))
            again = d.ask(KIT, PEOPLE["requester"][0], ("Someone", max(spellings["target"])))
            d.answer(KIT[0], again, "confirm")
            d.answer(PEOPLE["requester"][0], again, "approve")
            assert len(d.mail_to(email)) == mailed


def named_without_address(item: dict, erased: str) -> bool:
    """A request naming its target without an address: nothing links that name to an address, so
    erasing the address cannot find it (the retention period removes it in time)."""
    target = item.get("target", {}).get("M", {})
    return erased == "target" and item["pk"]["S"].startswith("INTRO#") and not {"e", "email"} & set(target)


def assert_every_stored_address_is_indexed(d) -> None:
    """Every introduction that stores an address is findable from that address's index entry."""
    key, stored = d.settings.hash_key, set()
    for item in d.items():
        if item["pk"]["S"].startswith("INTRO#"):
            intro_id = item["pk"]["S"].removeprefix("INTRO#")
            for role in ("requester", "connector", "target"):
                person = item[role]["M"]  # the address under "e" (written before: "email")
                email = (person.get("e") or person.get("email") or {}).get("S")
                if email and not email.endswith("@erased.invalid"):
                    stored.add((f"PERSON#{address_hash(email, key)}", f"INTRO#{intro_id}#{role}"))
    indexed = {(i["pk"]["S"], i["sk"]["S"]) for i in d.items() if i["pk"]["S"].startswith("PERSON#")}
    assert stored <= indexed, f"stored but not indexed: {stored - indexed}"
