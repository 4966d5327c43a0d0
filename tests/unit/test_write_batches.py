"""BatchWriteItem under load: DynamoDB may hand back part of a batch (UnprocessedItems); every request
is sent again, after a growing pause, until all are in place, 25 to a call."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from warm_intro.adapters import dynamodb


class Throttled:
    """Takes the first `keep` requests of each call and hands the rest back, `rounds` times per batch."""

    def __init__(self, keep: int, rounds: int):
        self.keep, self.rounds, self.done, self.backs, self.handed_back = keep, rounds, [], 0, 0

    def batch_write_item(self, RequestItems):
        ((table, requests),) = RequestItems.items()
        assert len(requests) <= 25
        if self.handed_back < self.rounds and len(requests) > self.keep:
            self.handed_back += 1
            self.backs += 1
            self.done += requests[: self.keep]
            return {"UnprocessedItems": {table: requests[self.keep :]}}
        self.handed_back = 0
        self.done += requests
        return {"UnprocessedItems": {}}


@settings(max_examples=100, deadline=None)
@given(count=st.integers(0, 80), keep=st.integers(0, 24), rounds=st.integers(0, 4))
def test_every_request_is_written_once_however_much_comes_back(count, keep, rounds):
    pauses: list[float] = []
    requests = [{"PutRequest": {"Item": {"pk": {"S": f"P#{n}"}}}} for n in range(count)]
    client = Throttled(keep, rounds)
    with patch.object(dynamodb.time, "sleep", pauses.append):
        dynamodb.write_batches(client, "intros", requests)
    assert sorted(r["PutRequest"]["Item"]["pk"]["S"] for r in client.done) == sorted(
        r["PutRequest"]["Item"]["pk"]["S"] for r in requests
    )
    assert len(pauses) == client.backs  # a pause before each sending again, none otherwise
    assert all(0 < p <= 1.0 for p in pauses)
