from __future__ import annotations

import pytest
from moto import mock_aws

from local.world import START, World
from warm_intro import runtime

__all__ = ["START", "clock", "world"]


@pytest.fixture
def clock(monkeypatch) -> list[int]:
    now = [START]
    monkeypatch.setattr(runtime, "now", lambda: now[0])
    return now


@pytest.fixture
def world(clock):
    with mock_aws():
        runtime.reset()
        yield World(clock)
    runtime.reset()
