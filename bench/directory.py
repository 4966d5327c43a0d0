"""Directory search at an organisation's size: `listings` members findable, every one of them under
one common word, searched by a signed-in member through the request form (Intake, as deployed). One
search finds a page at once; the other's second word filters the partition down to a few, so it
reads on, up to the adapter's bound. Calls, read units and listings shown, per search."""

from __future__ import annotations

import re
import time
from urllib.parse import quote, urlencode

from local import outbox
from warm_intro.adapters.directory import PAGES, listing
from warm_intro.adapters.dynamodb import dump
from warm_intro.domain.directory import words

from .flows import REQUESTER, Walk, deployment
from .meter import Meter

SIGNIN = re.compile(r"https://[^\s\"]+/me/signin/[A-Za-z0-9_\-]+")
PICK = re.compile(r'name="connector_id" id="pick-\d+" value="[0-9a-f]{32}"')
RARE = 2_500  # every 2,500th listing also names "navy": four in 10,000
SEARCHES = {"one word": "London", "two words, few matches": "navy London"}
SAME_SITE = {"sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded"}


def fill(world, listings: int) -> float:
    """Straight into moto's table, as scale.fill does, with the items the adapter itself stores."""
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[outbox.ACCOUNT][outbox.REGION].tables[world.settings.table_name]
    shard, table.stream_shard = table.stream_shard, None
    start = time.perf_counter()
    try:
        for n in range(listings):
            line = f"London, {'navy' if n % RARE == 0 else f'field{n % 50}'}"
            for item in listing(f"{n:032x}", f"member{n}@example.org", f"Member {n}", line, words(line)):
                table.put_item(dump(item))
    finally:
        table.stream_shard = shard
    return time.perf_counter() - start


def sign_in(world, email: str) -> str:
    """The cookie a browser would hold after following the emailed sign-in link."""
    world.request("POST", "/me", headers=SAME_SITE, body=urlencode({"email": email}).encode())
    world.deliver()
    link = SIGNIN.findall(world.mail_to(email)[-1]["text"])[-1]
    answer = world.request("POST", link, headers=SAME_SITE, body=b"")
    return answer.headers["set-cookie"].split(";", 1)[0]


def run(meter: Meter, listings: int) -> dict:
    with deployment() as world:
        fill_s = fill(world, listings)
        meter.tap.capturing = True  # signing in is no part of what is measured: its logs are not printed
        try:
            cookie = sign_in(world, REQUESTER)
        finally:
            meter.tap.capturing = False
        walk, shown = Walk(meter, world), {}
        for name, query in SEARCHES.items():
            page = walk.step(
                name,
                lambda q=query: world.request("GET", f"/?find={quote(q)}", headers={"cookie": cookie}),
                200,
            )
            shown[name] = len(PICK.findall(page.text))
        return {
            "listings": listings,
            "fill_seconds": round(fill_s, 1),
            "page_bound": PAGES,
            "searches": {
                name: {"query": SEARCHES[name], "shown": shown[name], **t.as_dict()} for name, t in walk.steps
            },
        }
