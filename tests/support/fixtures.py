from __future__ import annotations

import pytest
from moto import mock_aws

from warm_intro import runtime

from .world import World

START = 1_790_000_000  # a fixed moment (2026-09-21) so tests never depend on the real clock


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
