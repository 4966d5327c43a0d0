"""The DynamoDB unit of work against moto: one conditional write per commit, and a cancelled
transaction read by its CancellationReasons (the in-memory one: tests/service/test_unit_of_work.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from botocore.exceptions import ClientError

from warm_intro import runtime
from warm_intro.adapters.dynamodb import Checked, Staged, _translated
from warm_intro.domain.errors import Conflict, NoLongerMember
from warm_intro.domain.limits import TargetLedger
from warm_intro.domain.model import Intro, Person, Role, State, Target
from warm_intro.services.unit_of_work import Book, Entry, LedgerOf

REF = LedgerOf(Book.TARGET, "h1")


def _intro() -> Intro:
    return Intro(
        "i1", State.UNCONFIRMED, 1, Person("A", "a@x.org"), Person("", "grace@example.org"), Target("T"), ""
    )


def _calls(store) -> Counter:
    calls: Counter = Counter()
    store.client.meta.events.register("before-call.dynamodb", lambda model, **_: calls.update([model.name]))
    return calls


@pytest.fixture
def store(world):
    store = runtime.repository()
    unit = store.begin(10)
    unit.intros.add(_intro())
    unit.commit()
    return store


def test_one_item_is_one_conditional_put_and_more_are_one_transaction(store):
    calls = _calls(store)
    unit = store.begin(20)
    unit.intros.save(store.get("i1"))
    unit.commit()
    assert calls == Counter({"GetItem": 1, "PutItem": 1})
    unit = store.begin(30)
    unit.intros.save(store.get("i1"))
    unit.ledgers.save(REF, TargetLedger(0, (30,)))
    unit.commit()
    assert calls["TransactWriteItems"] == 1 and calls["PutItem"] == 1
    assert (store.get("i1").version, store.get("i1").updated_at) == (2, 30)


def test_index_entries_go_in_before_the_conditional_write_and_outside_its_transaction(store):
    """At 1 WRU a KB instead of 2: every stored address is findable from the moment it is stored; an
    entry stays when the write after it fails (readers of the index skip what it names if not there)."""
    order: list[str] = []
    store.client.meta.events.register("before-call.dynamodb", lambda model, **_: order.append(model.name))
    unit = store.begin(20)
    unit.intros.add(_intro())  # i1 is already there: this write fails
    unit.people.index(Entry("h1", "i1", Role.REQUESTER))
    unit.people.index(Entry("h2", "i1", Role.TARGET))
    unit.ledgers.save(REF, TargetLedger(0, (20,)))
    with pytest.raises(Conflict):
        unit.commit()
    assert order == ["BatchWriteItem", "TransactWriteItems"]
    entries = store.begin(30).people
    assert [(e.intro, e.role) for e in entries.entries("h1") + entries.entries("h2")] == [
        ("i1", Role.REQUESTER),
        ("i1", Role.TARGET),
    ]
    assert store.begin(30).ledgers.get(REF) == TargetLedger()


def test_a_stale_version_cancels_everything_the_unit_staged(store):
    intro = store.get("i1")
    other = store.begin(20)
    other.intros.save(intro)
    other.commit()
    unit = store.begin(30)
    unit.intros.save(intro.evolve(blurb="late"))
    unit.ledgers.save(REF, TargetLedger(0, (30,)))
    with pytest.raises(Conflict) as raised:
        unit.commit()
    assert not isinstance(raised.value, NoLongerMember)
    assert store.get("i1").blurb == "" and store.begin(40).ledgers.get(REF) == TargetLedger()


def test_a_save_reads_its_members_consistently_and_writes_one_conditional_put(store):
    """A decision relying on members is one PutItem, not a transaction with a ConditionCheck each."""
    calls, sent = _calls(store), []
    store.client.meta.events.register(
        "before-parameter-build.dynamodb.BatchGetItem", lambda params, **_: sent.append(params)
    )
    unit = store.begin(20)
    unit.intros.save(
        store.get("i1").evolve(blurb="approved"), members=["grace@example.org", "ada@example.org"]
    )
    unit.commit()
    assert calls == Counter({"GetItem": 1, "BatchGetItem": 1, "PutItem": 1})
    (wanted,) = sent[0]["RequestItems"].values()
    assert wanted["ConsistentRead"] is True and len(wanted["Keys"]) == 2
    assert store.get("i1").blurb == "approved"


def test_a_member_gone_when_the_save_reads_them_is_no_longer_member_and_nothing_is_written(store):
    intro = store.get("i1")
    store.remove_member("grace@example.org")
    unit = store.begin(20)
    with pytest.raises(NoLongerMember):
        unit.intros.save(intro.evolve(blurb="approved"), members=["grace@example.org"])
    unit.commit()
    assert store.get("i1").version == 0


def test_a_member_removed_after_the_save_read_them_fails_it_by_the_removals_own_write(store):
    """The removal writes every open introduction of the member again (services.membership.remove):
    the write staged on the version read before is a Conflict, and nothing of it is written."""
    intro = store.get("i1")
    unit = store.begin(20)
    unit.intros.save(intro.evolve(blurb="approved"), members=["grace@example.org"])
    unit.ledgers.save(REF, TargetLedger(0, (20,)))
    store.remove_member("grace@example.org")
    removal = store.begin(25)
    removal.intros.save(intro)
    removal.commit()
    with pytest.raises(Conflict) as raised:
        unit.commit()
    assert not isinstance(raised.value, NoLongerMember)
    assert store.get("i1").blurb == "" and store.begin(30).ledgers.get(REF) == TargetLedger()


def test_a_new_introduction_checks_its_members_in_its_write(store):
    """It has no version a removal could move, so the write itself checks them."""
    unit = store.begin(20)
    unit.intros.add(replace(_intro(), id="i2"), members=["grace@example.org"])
    store.remove_member("grace@example.org")
    with pytest.raises(NoLongerMember):
        unit.commit()
    assert store.get("i2") is None


def _cancelled(*codes: str) -> ClientError:
    reasons = [{"Code": code} for code in codes]
    return ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": reasons,
        },
        "TransactWriteItems",
    )


STAGED = [Staged({"Put": {}}, Checked.VERSION), Staged({"ConditionCheck": {}}, Checked.MEMBER)]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (("ConditionalCheckFailed", "None"), Conflict),
        (("None", "ConditionalCheckFailed"), NoLongerMember),
        (("TransactionConflict", "None"), Conflict),
        (("ThrottlingError", "None"), ClientError),  # not a race: raised as it is
        (("None", "ValidationError"), ClientError),
    ],
)
def test_only_the_cancellation_reasons_make_a_conflict(codes, expected):
    error = _cancelled(*codes)
    translated = _translated(error, STAGED)
    assert type(translated) is expected
    if expected is ClientError:
        assert translated is error
