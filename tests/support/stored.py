"""An introduction as the codec tests store it: a fresh request, changed as a test needs."""

from __future__ import annotations

from warm_intro.domain.lifecycle import new_request
from warm_intro.domain.model import Intro, Person, Target

T = 1_790_000_000


def request(**changes) -> Intro:
    made = new_request(
        "i1",
        Person("Ada", "ada@example.org"),
        "grace@example.org",
        Target("Alan", "alan@example.net"),
        "Hi",
        T,
        "api",
    )
    return made.evolve(**changes)
