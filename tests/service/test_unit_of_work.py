"""The unit of work's promises, on the in-memory one the service tests rely on (the DynamoDB one
keeps the same promises: tests/integration/test_unit_of_work.py)."""

from __future__ import annotations

import pytest

from tests.support.memory import MemoryStore
from warm_intro.domain.errors import Conflict, NoLongerMember
from warm_intro.domain.limits import TargetLedger
from warm_intro.domain.model import Intro, Person, State, Target
from warm_intro.services.unit_of_work import Book, LedgerOf, retrying

REF = LedgerOf(Book.TARGET, "h1")


def _intro(intro_id: str = "i1") -> Intro:
    return Intro(
        intro_id, State.UNCONFIRMED, 1, Person("A", "a@x.org"), Person("", "c@x.org"), Target("T"), ""
    )


def _stored(store: MemoryStore) -> Intro:
    unit = store.begin(10)
    unit.intros.add(_intro())
    unit.commit()
    return store.get("i1")


def test_a_save_writes_one_version_on_at_the_units_time():
    store = MemoryStore()
    intro = _stored(store)
    unit = store.begin(50)
    written = unit.intros.save(intro.evolve(blurb="hello"))
    assert store.get("i1").blurb == ""  # staged only
    unit.commit()
    assert store.get("i1") == written and (written.version, written.updated_at) == (1, 50)


def test_a_stale_write_conflicts_and_writes_nothing_of_the_unit():
    store = MemoryStore()
    intro = _stored(store)
    store.write(intro.evolve(blurb="someone else"))
    unit = store.begin(50)
    unit.intros.save(intro.evolve(blurb="mine"))
    unit.ledgers.save(REF, TargetLedger(0, (50,)))
    with pytest.raises(Conflict):
        unit.commit()
    assert store.get("i1").blurb == "someone else" and store.stored.ledgers == {}


def test_an_id_already_taken_conflicts():
    store = MemoryStore()
    _stored(store)
    unit = store.begin(50)
    unit.intros.add(_intro())
    with pytest.raises(Conflict):
        unit.commit()


def test_a_ledger_is_written_on_its_version_and_a_new_one_only_once():
    store = MemoryStore()
    first, second = store.begin(1), store.begin(1)
    assert first.ledgers.save(REF, TargetLedger(0, (1,))).version == 1
    second.ledgers.save(REF, TargetLedger(0, (2,)))
    first.commit()
    with pytest.raises(Conflict):
        second.commit()
    assert store.begin(2).ledgers.get(REF) == TargetLedger(1, (1,))


def test_a_member_gone_when_a_save_reads_them_is_a_refusal_of_its_own_kind():
    store = MemoryStore()
    intro = _stored(store)
    unit = store.begin(50)
    with pytest.raises(NoLongerMember):
        unit.intros.save(intro, members=["c@x.org"])
    unit.commit()
    assert store.get("i1").version == 0


def test_a_member_removed_after_the_save_read_them_fails_it_by_the_removals_own_write():
    """The removal writes every open introduction of the member again (services.membership.remove)."""
    store = MemoryStore()
    intro = _stored(store)
    store.put_member("c@x.org", "C")
    unit = store.begin(50)
    unit.intros.save(intro, members=["c@x.org"])
    store.stored.members.clear()
    store.write(intro)
    with pytest.raises(Conflict) as raised:
        unit.commit()
    assert not isinstance(raised.value, NoLongerMember) and store.get("i1").version == 1


def test_a_new_introduction_checks_its_members_in_the_write():
    """No version a removal could move: the write itself checks them."""
    store = MemoryStore()
    store.put_member("c@x.org", "C")
    unit = store.begin(50)
    unit.intros.add(_intro("i2"), members=["c@x.org"])
    store.stored.members.clear()
    with pytest.raises(NoLongerMember):
        unit.commit()
    assert store.get("i2") is None


def test_one_unit_writes_an_item_once():
    store = MemoryStore()
    intro = _stored(store)
    unit = store.begin(50)
    unit.intros.save(intro)
    with pytest.raises(ValueError, match="once"):
        unit.intros.save(intro)


def test_retrying_reads_again_after_a_conflict_and_gives_up_after_its_attempts():
    store = MemoryStore()
    _stored(store)
    seen: list[int] = []

    def change(unit):
        intro = unit.intros.get("i1")
        seen.append(intro.version)
        return unit.intros.save(intro.evolve(blurb="mine"))

    store.race(lambda s: s.write(s.get("i1")))
    assert retrying(store, 60, change, attempts=2).blurb == "mine"
    assert seen == [0, 1] and store.get("i1").version == 2
    for _ in range(3):
        store.race(lambda s: s.write(s.get("i1")))
    with pytest.raises(Conflict):
        retrying(store, 70, change, attempts=3)
    assert store.get("i1").blurb == "mine" and store.get("i1").version == 5  # only the others' writes


def test_known_introductions_spare_the_first_read_only():
    store = MemoryStore()
    intro = _stored(store)
    reads = store.reads
    store.race(lambda s: s.write(s.get("i1")))
    retrying(store, 60, lambda unit: unit.intros.save(unit.intros.get("i1")), known=[intro])
    assert store.reads == reads + 1  # the retry read it again
