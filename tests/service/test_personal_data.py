"""Export and erasure through the per-person index."""

from __future__ import annotations

import pytest

from warm_intro.domain.erasure import ERASED_EMAIL
from warm_intro.domain.errors import Conflict
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Role
from warm_intro.services import personal_data

from .conftest import ADA, ALAN, GRACE


def test_an_export_lists_each_introduction_a_person_is_in_with_their_roles(office):
    intro = office.awaiting_target()
    found = personal_data.export(office.settings.hash_key, office.store, GRACE)
    assert found["member"] == "Grace Hopper" and found["opted_out"] is False
    (view,) = found["introductions"]
    assert (view["id"], view["roles"]) == (intro.id, ["connector"])


def test_erasure_forgets_the_person_their_index_entries_and_membership_but_keeps_their_opt_out(office):
    intro = office.awaiting_target()
    office.answer(ALAN, "opt_out")
    key = office.settings.hash_key
    erased = personal_data.erase(key, office.store, ALAN, office.now)
    assert (erased.introductions, erased.member_removed, erased.opted_out) == (1, False, True)
    assert office.store.get(intro.id).target.email in (None, ERASED_EMAIL)
    assert not [e for e in office.store.stored.entries if e.person == address_hash(ALAN, key)]
    assert personal_data.export(key, office.store, ALAN)["introductions"] == []
    assert personal_data.erase(key, office.store, GRACE, office.now).member_removed is True
    assert office.store.begin(office.now).people.member_name(GRACE) is None
    assert [e.role for e in office.store.stored.entries if e.person == address_hash(ADA, key)] == [
        Role.REQUESTER
    ]


def test_erasure_racing_decisions_reads_again_and_says_so_when_they_never_stop(office):
    intro = office.awaiting_target()
    for _ in range(3):
        office.store.race(lambda store: store.write(store.get(intro.id)))
    with pytest.raises(Conflict, match="kept changing"):
        personal_data.erase(office.settings.hash_key, office.store, ALAN, office.now)
    assert office.store.get(intro.id).target.email == ALAN
    assert personal_data.erase(office.settings.hash_key, office.store, ALAN, office.now).introductions == 1
