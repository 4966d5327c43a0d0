"""Every address an introduction stores is in its person's index from the write that stores it, also
when the request closes at that very write (issue 11, item 4)."""

from __future__ import annotations

import pytest

from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import State

from .deployment import deployment

ADA, GRACE, KATHERINE = (
    ("ada@example.org", "Ada Lovelace"),
    ("grace@example.org", "Grace Hopper"),
    ("katherine@example.org", "Katherine Johnson"),
)
ALAN = "Alan.Turing+intros@gmail.com"


@pytest.mark.parametrize("why", ["opted out", "at their cap"])
def test_a_target_address_the_connector_supplies_is_indexed_even_when_the_request_closes_at_once(why):
    with deployment() as d:
        for email, name in (ADA, GRACE, KATHERINE):
            d.member(email, name)
        if why == "opted out":
            d.repo.suppress(address_hash("alanturing@gmail.com", d.settings.hash_key), "opted_out", d.now)
        else:
            # Other requesters, each through a connector of their own (a connector's week holds only a few
            # asks), filled Alan's 30 days.
            for n in range(d.settings.limit_target_30d):
                d.member(f"asker{n}@example.org", f"Asker {n}")
                d.member(f"connector{n}@example.org", f"Connector {n}")
                earlier = d.ask(
                    (f"asker{n}@example.org", f"Asker {n}"),
                    f"connector{n}@example.org",
                    ("Alan Turing", None),
                )
                assert d.answer(f"asker{n}@example.org", earlier, "confirm")
                assert d.answer(
                    f"connector{n}@example.org", earlier, "approve", target_email=f"alan.turing+{n}@gmail.com"
                )
        intro = d.ask(ADA, GRACE[0], ("Alan Turing", None))
        assert d.answer(ADA[0], intro, "confirm")
        assert d.answer(GRACE[0], intro, "approve", target_email=ALAN)
        assert d.repo.get(intro).state is State.REFUSED and d.repo.get(intro).target.email == ALAN.lower()
        found = [i["id"] for i in d.export("alanturing@googlemail.com")["introductions"]]
        assert intro in found
        d.erase("ALANTURING@gmail.com")
        assert ALAN.lower() not in str(d.items()).lower()
