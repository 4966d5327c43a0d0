"""The outbox and the history as the codec stores them: packed (one binary each) and read back exactly,
from what boto3 returns, from bytes and from a stream event's base64 text; items written before, and
values the packing tables do not hold, keep the map form and read as they always did."""

from __future__ import annotations

import base64

from boto3.dynamodb.types import Binary
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.sizes import item_size
from tests.support.stored import T, request
from warm_intro.adapters.codec import ID_ALPHABET, KINDS, ROLES, STATES, STATUSES, from_item, to_item
from warm_intro.adapters.dynamodb import dump
from warm_intro.domain.model import Delivery, Event, Kind, Message, Role, State, Target
from warm_intro.domain.rules import Timings

TIMINGS = Timings()


texts = st.text(max_size=40)
outboxes = st.lists(
    st.builds(
        Message,
        st.sampled_from(KINDS),
        st.sampled_from(STATUSES),
        st.integers(0, 2**32 - 1),
        st.integers(0, 255),
        st.none() | st.text(min_size=1, max_size=30) | st.text(ID_ALPHABET, min_size=1, max_size=127),
    ),
    max_size=len(KINDS),
    unique_by=lambda m: m.kind,
).map(lambda messages: {m.kind: m for m in messages})
histories = st.lists(
    st.builds(
        Event, st.integers(0, 2**32 - 1), st.sampled_from(ROLES), texts, st.sampled_from(STATES), texts
    ),
    max_size=12,
).map(tuple)


@settings(max_examples=150, deadline=None)
@given(outboxes, histories)
def test_packed_outbox_and_history_read_back_exactly_in_every_form_storage_hands_them_over(outbox, history):
    written = request(outbox=outbox, history=history)
    item = to_item(written, TIMINGS)
    packed = {name: item[name] for name in ("outbox", "history") if name in item}  # empty: not written
    assert all(isinstance(value, bytes) and value for value in packed.values())
    for form in (bytes, Binary, lambda b: base64.b64encode(b).decode()):
        read = from_item({**item, **{name: form(value) for name, value in packed.items()}})
        assert (read.outbox, read.history) == (outbox, history)
    assert from_item(item) == written


def test_every_kind_status_and_state_has_its_place_in_the_stored_tables():
    for table, enum in ((KINDS, Kind), (STATUSES, Delivery), (STATES, State)):
        assert set(table) == set(enum) and len(set(table)) == len(table)


def test_an_item_written_before_keeps_its_maps():
    item = to_item(request(), TIMINGS)
    item["outbox"] = {"confirm_request": {"s": "sent", "at": T, "n": 1, "id": "0100-abc"}}
    item["history"] = [{"at": T, "by": "requester", "do": "request", "st": "unconfirmed", "via": "api"}]
    item["reminded"] = []
    read = from_item(item)
    assert read.outbox == {
        Kind.CONFIRM_REQUEST: Message(Kind.CONFIRM_REQUEST, Delivery.SENT, T, 1, "0100-abc")
    }
    assert read.history == (Event(T, Role.REQUESTER, "request", State.UNCONFIRMED, "api"),)
    assert read.reminded == frozenset()


def test_what_the_tables_cannot_hold_is_stored_in_the_map_form_as_it_was():
    far = {Kind.CLOSED: Message(Kind.CLOSED, Delivery.PENDING, 2**32)}
    long_id = {Kind.CLOSED: Message(Kind.CLOSED, Delivery.SENT, T, 1, "x" * 256)}
    for outbox in (far, long_id):
        item = to_item(request(outbox=outbox), TIMINGS)
        assert isinstance(item["outbox"], dict) and from_item(item).outbox == outbox
    wordy = (Event(T, Role.SYSTEM, "é" * 200, State.EXPIRED, "cli"),)
    item = to_item(request(history=wordy), TIMINGS)
    assert isinstance(item["history"], list) and from_item(item).history == wordy


def test_packing_makes_a_busy_introduction_smaller_by_what_the_maps_spent_on_names():
    outbox = {
        k: Message(k, Delivery.SENT, T, 1, "0100018c2f0bd7a3-3fbd0c5f-1c5d-4b6d-9e0f-123456789abc-000000")
        for k in KINDS[:5]
    }
    history = tuple(
        Event(T, Role.REQUESTER, "confirm", State.AWAITING_CONNECTOR, "confirm-page:v2") for _ in range(5)
    )
    packed = to_item(request(outbox=outbox, history=history), TIMINGS)
    maps = {
        **packed,
        "outbox": {k.value: {"s": "sent", "at": T, "n": 1, "id": m.ses_id} for k, m in outbox.items()},
        "history": [
            {
                "at": T,
                "by": "requester",
                "do": "confirm",
                "st": "awaiting_connector",
                "via": "confirm-page:v2",
            }
        ]
        * 5,
    }
    assert item_size(dump(maps)) - item_size(dump(packed)) > 250


def test_an_ses_message_id_is_stored_in_two_thirds_of_its_length():
    ses_id = "0100018c2f0bd7a3-3fbd0c5f-1c5d-4b6d-9e0f-123456789abc-000000"
    one = {Kind.INTRODUCTION: Message(Kind.INTRODUCTION, Delivery.SENT, T, 1, ses_id)}
    item = to_item(request(outbox=one), TIMINGS)
    assert len(item["outbox"]) == 7 + 1 + 40 and from_item(item).outbox == one


def test_a_persons_fields_are_stored_under_one_letter_and_full_names_still_read():
    written = request(target=Target("Alan", "alan@example.net", "runs the reading group"))
    item = to_item(written, TIMINGS)
    assert item["requester"] == {"n": "Ada", "e": "ada@example.org"}
    assert item["target"] == {"n": "Alan", "e": "alan@example.net", "a": "runs the reading group"}
    before = {
        **item,
        "requester": {"name": "Ada", "email": "ada@example.org"},
        "connector": {"name": "", "email": "grace@example.org"},
        "target": {"name": "Alan", "email": "alan@example.net", "about": "runs the reading group"},
    }
    assert from_item(before) == from_item(item) == written
