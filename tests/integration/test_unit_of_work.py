"""The DynamoDB unit of work against moto: one conditional write per commit, and a cancelled
transaction read by its CancellationReasons (the in-memory one: tests/service/test_unit_of_work.py)."""

from __future__ import annotations

from collections import Counter

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
    unit.intros.save(store.get("i1"), members=["grace@example.org"])
    unit.people.index(Entry("h1", "i1", Role.REQUESTER))
    unit.commit()
    assert calls["TransactWriteItems"] == 1 and calls["PutItem"] == 1
    assert (store.get("i1").version, store.get("i1").updated_at) == (2, 30)


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


def test_a_member_removed_meanwhile_is_no_longer_member_and_nothing_is_written(store):
    intro = store.get("i1")
    unit = store.begin(20)
    unit.intros.save(intro.evolve(blurb="approved"), members=["grace@example.org"])
    store.remove_member("grace@example.org")
    with pytest.raises(NoLongerMember):
        unit.commit()
    assert store.get("i1").version == 0


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
